package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;

/** Where a name is used in an expression, a formula or a region (the first use), or null. */
final class Mentions {
  private Mentions() {}

  static SourceRange in(Ast.Expr e, String name) {
    if (e instanceof Ast.NameRef n) {
      return n.name().text().equals(name) ? n.range() : null;
    }
    if (e instanceof Ast.Unary u) {
      return in(u.operand(), name);
    }
    if (e instanceof Ast.Binary b) {
      return first(in(b.left(), name), in(b.right(), name));
    }
    if (e instanceof Ast.OutputRef o) {
      return in(o.index(), name);
    }
    if (e instanceof Ast.ListExpr l) {
      for (Ast.Expr x : l.elements()) {
        SourceRange r = in(x, name);
        if (r != null) {
          return r;
        }
      }
    }
    return null; // numbers, durations, files
  }

  static SourceRange in(Ast.Formula f, String name) {
    if (f instanceof Ast.Not n) {
      return in(n.operand(), name);
    }
    if (f instanceof Ast.And a) {
      return first(in(a.left(), name), in(a.right(), name));
    }
    if (f instanceof Ast.Or o) {
      return first(in(o.left(), name), in(o.right(), name));
    }
    if (f instanceof Ast.Implies i) {
      return first(in(i.left(), name), in(i.right(), name));
    }
    if (f instanceof Ast.Comparison c) {
      return first(in(c.left(), name), in(c.right(), name));
    }
    if (f instanceof Ast.ArgFormula a) {
      return in(a.label(), name);
    }
    return null;
  }

  static SourceRange in(Ast.RegionExpr region, String name) {
    if (region instanceof Ast.LinfRegion l) {
      SourceRange r = null;
      for (Ast.Argument a : l.arguments()) {
        r = first(r, in(a.value(), name));
      }
      return first(first(r, in(l.clipLower(), name)), in(l.clipUpper(), name));
    }
    if (region instanceof Ast.BoxRegion b) {
      SourceRange r = null;
      for (Ast.BoxItem i : b.items()) {
        r = first(first(first(first(r, in(i.from(), name)), in(i.to(), name)),
            in(i.lower(), name)), in(i.upper(), name));
      }
      return r;
    }
    return null;
  }

  /** The networks a formula applies ({@code net(x)[i]}, {@code argmax(net(x))}), in order. */
  static void networks(Ast.Formula f, java.util.function.Consumer<String> to) {
    if (f instanceof Ast.Not n) {
      networks(n.operand(), to);
    } else if (f instanceof Ast.And a) {
      networks(a.left(), to);
      networks(a.right(), to);
    } else if (f instanceof Ast.Or o) {
      networks(o.left(), to);
      networks(o.right(), to);
    } else if (f instanceof Ast.Implies i) {
      networks(i.left(), to);
      networks(i.right(), to);
    } else if (f instanceof Ast.Comparison c) {
      networks(c.left(), to);
      networks(c.right(), to);
    } else if (f instanceof Ast.ArgFormula a && a.network() != null) {
      to.accept(a.network().text());
    }
  }

  private static void networks(Ast.Expr e, java.util.function.Consumer<String> to) {
    if (e instanceof Ast.OutputRef o && o.network() != null) {
      to.accept(o.network().text());
    } else if (e instanceof Ast.Unary u) {
      networks(u.operand(), to);
    } else if (e instanceof Ast.Binary b) {
      networks(b.left(), to);
      networks(b.right(), to);
    }
  }

  private static SourceRange first(SourceRange a, SourceRange b) {
    return a != null ? a : b;
  }
}
