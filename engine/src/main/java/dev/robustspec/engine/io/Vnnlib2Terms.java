package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.SExpressionReader.clip;
import static dev.robustspec.engine.io.Vnnlib2Syntax.describe;
import static dev.robustspec.engine.io.Vnnlib2Syntax.head;
import static dev.robustspec.engine.io.Vnnlib2Syntax.show;

import dev.robustspec.engine.io.Vnnlib2Syntax.Node;
import dev.robustspec.engine.io.Vnnlib2Syntax.SList;
import dev.robustspec.engine.io.Vnnlib2Syntax.Sym;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import dev.robustspec.engine.logic.Comparison;
import dev.robustspec.engine.logic.Formula;
import dev.robustspec.engine.logic.LinearForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The formulas and terms of VNN-LIB 2 asserts, over the declared variables: {@code and},
 * {@code or} and the six comparisons of linear terms ({@code + - *} of numbers and tensor
 * elements); their normal form is {@code logic.Dnf}'s, through {@link AssertTerms}. A product
 * of two terms with variables (the POLY theory) and the other SMT-LIB operators are refused.
 */
final class Vnnlib2Terms {
  private final Path file;
  private final Map<String, VarDecl> vars;
  private final Set<String> networkNames;
  private final AssertTerms asserts;

  /** Terms over {@code vars} (by name); {@code networkNames} only word the messages. */
  Vnnlib2Terms(Path file, Map<String, VarDecl> vars, Set<String> networkNames,
      AssertTerms asserts) {
    this.file = file;
    this.vars = vars;
    this.networkNames = networkNames;
    this.asserts = asserts;
  }

  /** The formula {@code f}, its comparisons linearised by the assert terms. */
  Formula formula(Node f) throws InputFormatException {
    if (!(f instanceof SList l) || l.items().isEmpty()) {
      throw err(f, "expected a formula such as (<= X[0] 1.0), (and ...) or (or ...), found "
          + describe(f));
    }
    Sym head = head(file, l, "a formula");
    Pos pos = new Pos(l.line(), l.col());
    switch (head.text()) {
      case "and", "or" -> {
        requireArgs(l, head, 1);
        List<Formula> parts = new ArrayList<>();
        for (int k = 1; k < l.items().size(); k++) {
          parts.add(formula(l.items().get(k)));
        }
        return head.text().equals("and") ? new Formula.And(parts, pos)
            : new Formula.Or(parts, pos);
      }
      case "<=", ">=", "<", ">", "==", "=", "!=" -> {
        return comparison(l, head);
      }
      case "not", "=>", "xor", "ite", "distinct" -> throw err(head, "'" + head.text()
          + "' is not part of VNN-LIB 2 (a formula uses and, or, <=, >=, <, >, ==, !=)");
      default -> throw err(head, "unknown operator '" + clip(head.text()) + "' in a formula (and,"
          + " or, <=, >=, <, >, ==, !=)");
    }
  }

  private void requireArgs(SList l, Sym head, int min) throws InputFormatException {
    if (l.items().size() - 1 < min) {
      throw err(l, "'" + head.text() + "' needs at least " + min + " argument"
          + (min == 1 ? "" : "s"));
    }
  }

  private Formula comparison(SList l, Sym head) throws InputFormatException {
    if (l.items().size() != 3) {
      throw err(l, "'" + head.text() + "' compares exactly two terms, found "
          + (l.items().size() - 1));
    }
    LinearForm left = term(l.items().get(1));
    LinearForm right = term(l.items().get(2));
    Formula f = asserts.comparison(Comparison.of(head.text()), left, right,
        new Pos(head.line(), head.col()));
    if (f == null) {
      throw err(l, "number out of range in " + show(l));
    }
    return f;
  }

  private LinearForm term(Node t) throws InputFormatException {
    if (t instanceof Sym s) {
      String x = s.text();
      if (SExpressionReader.numeric(x)) {
        if (s.index() != null) {
          throw err(s, "a number cannot be indexed: " + clip(x) + "[...]");
        }
        return LinearForm.constant(SExpressionReader.number(file, s.line(), s.col(), x));
      }
      VarDecl v = vars.get(x);
      if (v == null) {
        throw err(s, networkNames.contains(x) ? x + " is a network, not a variable"
            : "undeclared variable '" + clip(x) + "'");
      }
      int[] idx = s.index() == null ? new int[0] : s.index();
      if (idx.length != v.shape().length) {
        throw err(s, v.shape().length == 0
            ? x + " is a scalar (shape []): write " + x + " without an index"
            : x + " has shape " + v.shapeText() + ": write " + v.shape().length + " index"
                + (v.shape().length == 1 ? "" : "es") + ", e.g. " + v.elementName(0));
      }
      int flat = 0;
      for (int k = 0; k < idx.length; k++) {
        if (idx[k] >= v.shape()[k]) {
          throw err(s, "index " + idx[k] + " out of range for dimension " + k + " of " + x
              + " (shape " + v.shapeText() + ")");
        }
        flat = flat * v.shape()[k] + idx[k];
      }
      return LinearForm.variable(v.firstSlot() + flat);
    }
    if (!(t instanceof SList l) || l.items().isEmpty()) {
      throw err(t, "expected a term (a number, a variable element or (+ ...), (- ...),"
          + " (* ...)), found " + describe(t));
    }
    Sym head = head(file, l, "a term");
    int argc = l.items().size() - 1;
    switch (head.text()) {
      case "-" -> {
        requireArgs(l, head, 1);
        LinearForm first = term(l.items().get(1));
        if (argc == 1) {
          return first.scaled(-1);
        }
        for (int k = 2; k <= argc; k++) {
          first.add(term(l.items().get(k)).scaled(-1));
        }
        return first;
      }
      case "+" -> {
        requireArgs(l, head, 1);
        LinearForm sum = LinearForm.zero();
        for (int k = 1; k <= argc; k++) {
          sum.add(term(l.items().get(k)));
        }
        return sum;
      }
      case "*" -> {
        requireArgs(l, head, 1);
        LinearForm prod = null;
        double factor = 1;
        for (int k = 1; k <= argc; k++) {
          LinearForm f = term(l.items().get(k));
          if (f.isConstant()) {
            factor *= f.constant();
          } else if (prod == null) {
            prod = f;
          } else {
            throw err(l, "unsupported: arithmetic-complexity theory POLY (a product of two terms"
                + " with variables: " + show(l) + "); RobustSpec supports BND and LIN");
          }
        }
        if (prod == null) {
          return LinearForm.constant(factor);
        }
        return prod.scaled(factor);
      }
      default -> throw err(head, "unknown operator '" + clip(head.text()) + "' in a term"
          + " (VNN-LIB 2 has +, - and *)");
    }
  }

  private InputFormatException err(Node n, String problem) {
    return Vnnlib2Syntax.error(file, n, problem);
  }
}
