package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.SExpressionReader.clip;
import static dev.robustspec.engine.io.Vnnlib1Syntax.headSymbol;
import static dev.robustspec.engine.io.Vnnlib1Syntax.show;

import dev.robustspec.engine.io.Vnnlib1Syntax.Node;
import dev.robustspec.engine.io.Vnnlib1Syntax.SList;
import dev.robustspec.engine.io.Vnnlib1Syntax.Sym;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibReader.Var;
import dev.robustspec.engine.logic.Comparison;
import dev.robustspec.engine.logic.Formula;
import dev.robustspec.engine.logic.LinearForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The formulas and terms of VNN-COMP 1 asserts, over the declared {@code X_i} / {@code Y_j}:
 * {@code and}, {@code or}, {@code true}, {@code false} and the comparisons of linear terms
 * ({@code + - *} and {@code /} by a constant); their normal form is {@code logic.Dnf}'s, through
 * {@link AssertTerms}. Input {@code i} is variable id {@code i}, output {@code j} is {@code ~j}:
 * the count of inputs is known only at the end of the file.
 */
final class Vnnlib1Terms {
  private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf",
      "infinity", "+infinity", "-infinity");

  private final Path file;
  private final Map<String, Var> vars;
  private final AssertTerms asserts;

  /** Terms over {@code vars} (by name), as declared so far. */
  Vnnlib1Terms(Path file, Map<String, Var> vars, AssertTerms asserts) {
    this.file = file;
    this.vars = vars;
    this.asserts = asserts;
  }

  // ---- formulas (their normal form is logic.Dnf's, through AssertTerms) --------------------

  /** The formula {@code f}, its comparisons linearised by the assert terms. */
  Formula formula(Node f) throws InputFormatException {
    if (f instanceof Sym s) {
      Pos pos = new Pos(s.line(), s.col());
      if (!s.literal() && s.text().equals("true")) {
        return new Formula.Const(true, pos);
      }
      if (!s.literal() && s.text().equals("false")) {
        return new Formula.Const(false, pos);
      }
      throw err(s, "expected a formula such as (<= X_0 1.0), (and ...) or (or ...), found '"
          + clip(s.text()) + "'");
    }
    SList l = (SList) f;
    if (l.items().isEmpty()) {
      throw err(l, "empty formula '()'");
    }
    Sym head = headSymbol(file, l, "a function symbol");
    switch (head.text()) {
      case "and", "or" -> {
        requireArgs(l, head);
        List<Formula> parts = new ArrayList<>(l.items().size() - 1);
        for (int k = 1; k < l.items().size(); k++) {
          parts.add(formula(l.items().get(k)));
        }
        Pos pos = new Pos(l.line(), l.col());
        return head.text().equals("and") ? new Formula.And(parts, pos)
            : new Formula.Or(parts, pos);
      }
      case "<=", ">=", "<", ">", "=" -> {
        return comparison(l, head);
      }
      case "not", "=>", "xor", "ite", "distinct" -> throw err(head,
          "'" + head.text() + "' is not supported (a formula uses and, or, <=, >=, <, >, =)");
      default -> throw err(head, "unknown function symbol '" + clip(head.text())
          + "' (a formula uses and, or, <=, >=, <, >, =)");
    }
  }

  private void requireArgs(SList l, Sym head) throws InputFormatException {
    if (l.items().size() < 2) {
      throw err(l, "'" + head.text() + "' needs at least one argument");
    }
  }

  /**
   * A comparison of two linear terms; the VNN-COMP 1 subset relates an input only to
   * constants, and outputs only to outputs and constants.
   */
  private Formula comparison(SList l, Sym head) throws InputFormatException {
    if (l.items().size() != 3) {
      throw err(l, "'" + head.text() + "' takes exactly two arguments, found "
          + (l.items().size() - 1));
    }
    LinearForm left = term(l.items().get(1));
    LinearForm right = term(l.items().get(2));
    Comparison op = Comparison.of(head.text());
    LinearForm d = op.difference(left, right);
    if (!d.isFinite()) {
      throw err(l, "number out of range in " + show(l));
    }
    int inputs = 0;
    int outputs = 0;
    for (Map.Entry<Integer, Double> e : d.coefficients().entrySet()) {
      if (e.getValue() != 0.0) {
        if (e.getKey() >= 0) {
          inputs++;
        } else {
          outputs++;
        }
      }
    }
    if (inputs > 0 && outputs > 0) {
      throw err(l, "constraints between two variables are not supported yet when they mix "
          + "an input and an output: " + show(l));
    }
    if (inputs > 1) {
      throw err(l, "input constraints between two variables are not supported yet: "
          + show(l));
    }
    return asserts.comparison(op, left, right, new Pos(l.line(), l.col()));
  }

  // ---- linear terms --------------------------------------------------------------------------

  private LinearForm term(Node t) throws InputFormatException {
    if (t instanceof Sym s) {
      if (s.literal()) {
        throw err(s, "unexpected " + (s.text().startsWith("\"") ? "string " : "quoted symbol ")
            + clip(s.text()) + " in a term");
      }
      String x = s.text();
      if (NON_FINITE.contains(x.toLowerCase(Locale.ROOT))) {
        throw err(s, "NaN and infinite values are not allowed: '" + x + "'");
      }
      if (SExpressionReader.numeric(x)) {
        return LinearForm.constant(SExpressionReader.number(file, s.line(), s.col(), x));
      }
      Var v = vars.get(x);
      if (v == null) {
        throw err(s, VnnlibReader.variableIndex(x) >= 0
            ? "undeclared variable " + x + " (declare it first with (declare-const " + x + " Real))"
            : "undeclared variable or unknown symbol '" + clip(x) + "'");
      }
      return LinearForm.variable(v.input() ? v.index() : ~v.index());
    }
    SList l = (SList) t;
    if (l.items().isEmpty()) {
      throw err(l, "empty term '()'");
    }
    Sym head = headSymbol(file, l, "a function symbol");
    int argc = l.items().size() - 1;
    switch (head.text()) {
      case "-" -> {
        requireArgs(l, head);
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
        requireArgs(l, head);
        LinearForm sum = LinearForm.zero();
        for (int k = 1; k <= argc; k++) {
          sum.add(term(l.items().get(k)));
        }
        return sum;
      }
      case "*" -> {
        requireArgs(l, head);
        LinearForm prod = null;
        double factor = 1;
        for (int k = 1; k <= argc; k++) {
          LinearForm f = term(l.items().get(k));
          if (f.isConstant()) {
            factor *= f.constant();
          } else if (prod == null) {
            prod = f;
          } else {
            throw err(l, "nonlinear term (a product of two variables): " + show(l));
          }
        }
        if (prod == null) {
          return LinearForm.constant(factor);
        }
        return prod.scaled(factor);
      }
      case "/" -> {
        if (argc != 2) {
          throw err(l, "'/' takes exactly two arguments");
        }
        LinearForm num = term(l.items().get(1));
        LinearForm den = term(l.items().get(2));
        if (!den.isConstant() || den.constant() == 0) {
          throw err(l.items().get(2), "'/' needs a non-zero constant divisor");
        }
        return num.scaled(1 / den.constant());
      }
      default -> throw err(head, "unknown function symbol '" + clip(head.text())
          + "' in a term (supported: +, -, *, /)");
    }
  }

  private InputFormatException err(Node n, String problem) {
    return Vnnlib1Syntax.error(file, n, problem);
  }
}
