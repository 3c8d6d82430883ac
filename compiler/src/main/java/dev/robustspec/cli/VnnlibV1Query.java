package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.VnnlibQuery.Atom;
import dev.robustspec.engine.io.VnnlibQuery.Equivalence;
import dev.robustspec.engine.io.VnnlibQuery.Kind;
import dev.robustspec.engine.io.VnnlibQuery.NetworkDecl;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.io.VnnlibReader;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A VNN-COMP 1 property seen as a VNN-LIB 2 query over one network {@code NAME} with input
 * {@code X Real [n]} and output {@code Y Real [m]}, so {@code verify QUERY.vnnlib} answers old
 * files in the standard's format too. Built from {@link VnnlibReader}'s unsafe cases: one DNF
 * term per case (its box bounds and output rows).
 */
final class VnnlibV1Query {
  private VnnlibV1Query() {}

  static VnnlibQuery read(Path file, String text, String networkName)
      throws InputFormatException {
    Specification spec = VnnlibReader.read(text, file);
    int n = spec.inputSize();
    int m = spec.outputSize();
    Pos pos = new Pos(1, 1);
    VarDecl x = new VarDecl("X", Kind.INPUT, networkName, "real", new int[] {n}, null, false, 0,
        pos);
    VarDecl y = new VarDecl("Y", Kind.OUTPUT, networkName, "real", new int[] {m}, null, false, n,
        pos);
    List<Atom> atoms = new ArrayList<>();
    List<int[]> terms = new ArrayList<>();
    cases:
    for (UnsafeCase c : spec.cases()) {
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        atoms.add(new Atom(new int[] {i}, new double[] {1}, c.region().upper()[i], false, pos));
        ids.add(atoms.size() - 1);
        atoms.add(new Atom(new int[] {i}, new double[] {-1}, -c.region().lower()[i], false,
            pos));
        ids.add(atoms.size() - 1);
      }
      for (OutputConstraint oc : c.constraints()) {
        List<Integer> slots = new ArrayList<>();
        List<Double> coefs = new ArrayList<>();
        for (int j = 0; j < m; j++) {
          if (oc.coefficients()[j] != 0) {
            slots.add(n + j);
            coefs.add(oc.coefficients()[j]);
          }
        }
        if (slots.isEmpty()) {
          if (oc.strict() ? oc.bound() <= 0 : oc.bound() < 0) {
            continue cases; // 0 <= negative (0 < non-positive): the case holds no point
          }
          continue; // always true
        }
        atoms.add(new Atom(slots.stream().mapToInt(Integer::intValue).toArray(),
            coefs.stream().mapToDouble(Double::doubleValue).toArray(), oc.bound(), oc.strict(),
            pos));
        ids.add(atoms.size() - 1);
      }
      terms.add(ids.stream().mapToInt(Integer::intValue).toArray());
    }
    NetworkDecl net = new NetworkDecl(networkName, Equivalence.NONE, null, List.of(x), List.of(),
        List.of(y), pos);
    return new VnnlibQuery(file, "1.0", List.of(net), List.of(x, y), atoms, new int[0],
        List.of(terms));
  }
}
