package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every name in a file's AST, declared or used, with its range: what navigation, rename,
 * highlighting and hover resolve against. Tolerates the null children of a half-parsed file.
 * Quantified variables ({@code forall x}) are local to their property and not indexed.
 */
final class AstIndex {

  /** What a declared name is. */
  enum Kind { LET, NETWORK, REGION, DATASET, PROPERTY }

  /** A declaration: its name, kind, the name's range and the whole declaration. */
  record Symbol(String name, Kind kind, SourceRange nameRange, Ast.NamedDecl decl) {}

  /** A place a declared name is written (declarations included). */
  record Occurrence(String name, SourceRange range, boolean declaration, Ast.Decl in) {}

  /** A pass named in a plan, and a parameter given to it. */
  record PassUse(Ast.PassCall call, Ast.Decl in) {}

  final List<Symbol> symbols = new ArrayList<>();
  final Map<String, Symbol> byName = new LinkedHashMap<>();
  final List<Occurrence> occurrences = new ArrayList<>();
  final List<PassUse> passes = new ArrayList<>();

  AstIndex(Ast.SpecFile file) {
    for (Ast.Decl d : file.declarations()) {
      if (d == null) {
        continue;
      }
      if (d instanceof Ast.NamedDecl n && n.name() != null && n.name().text() != null) {
        Symbol s = new Symbol(n.name().text(), kind(n), n.name().range(), n);
        symbols.add(s);
        byName.putIfAbsent(s.name(), s);
        occurrences.add(new Occurrence(s.name(), s.nameRange(), true, d));
      }
      decl(d);
    }
  }

  static Kind kind(Ast.NamedDecl d) {
    if (d instanceof Ast.LetDecl) {
      return Kind.LET;
    }
    if (d instanceof Ast.NetworkDecl) {
      return Kind.NETWORK;
    }
    if (d instanceof Ast.DatasetDecl) {
      return Kind.DATASET;
    }
    return d instanceof Ast.RegionDecl ? Kind.REGION : Kind.PROPERTY;
  }

  /** The occurrence whose range holds {@code offset} (its end included, as editors expect). */
  Occurrence occurrenceAt(int offset) {
    for (Occurrence o : occurrences) {
      if (o.range().contains(offset)) {
        return o;
      }
    }
    return null;
  }

  PassUse passAt(int offset) {
    for (PassUse p : passes) {
      if (p.call().name() != null && p.call().name().range().contains(offset)) {
        return p;
      }
    }
    return null;
  }

  List<Occurrence> occurrencesOf(String name) {
    List<Occurrence> out = new ArrayList<>();
    for (Occurrence o : occurrences) {
      if (o.name().equals(name)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The top-level declaration whose range holds {@code offset}. */
  static Ast.Decl declarationAt(Ast.SpecFile file, int offset) {
    for (Ast.Decl d : file.declarations()) {
      if (d != null && d.range() != null && d.range().contains(offset)) {
        return d;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------

  private void ref(Ast.Ident id, Ast.Decl in) {
    if (id != null && id.text() != null && id.range() != null) {
      occurrences.add(new Occurrence(id.text(), id.range(), false, in));
    }
  }

  private void decl(Ast.Decl d) {
    if (d instanceof Ast.LetDecl l) {
      expr(l.value(), d);
    } else if (d instanceof Ast.NetworkDecl n) {
      if (n.source() instanceof Ast.InlineNetwork inline) {
        for (Ast.LayerSyntax layer : inline.layers()) {
          if (layer instanceof Ast.InputLayer in) {
            expr(in.size(), d);
          } else if (layer instanceof Ast.DenseLayerSyntax dense) {
            expr(dense.weights(), d);
            expr(dense.bias(), d);
          }
        }
      }
    } else if (d instanceof Ast.RegionDecl r) {
      if (r.region() instanceof Ast.BoxRegion box) {
        for (Ast.BoxItem item : box.items()) {
          if (item != null) {
            expr(item.from(), d);
            expr(item.to(), d);
            expr(item.lower(), d);
            expr(item.upper(), d);
          }
        }
      } else if (r.region() instanceof Ast.LinfRegion linf) {
        for (Ast.Argument a : linf.arguments()) {
          if (a != null) {
            expr(a.value(), d);
          }
        }
        expr(linf.clipLower(), d);
        expr(linf.clipUpper(), d);
      }
    } else if (d instanceof Ast.FormulaProperty p) {
      ref(p.region(), d);
      formula(p.formula(), d);
    } else if (d instanceof Ast.FileProperty p) {
      ref(p.network(), d);
    } else if (d instanceof Ast.VerifyDecl v) {
      for (Ast.Ident target : v.targets()) {
        ref(target, d);
      }
      for (Ast.PassCall call : v.passes()) {
        if (call != null) {
          passes.add(new PassUse(call, d));
          for (Ast.Argument a : call.arguments()) {
            if (a != null) {
              expr(a.value(), d);
            }
          }
        }
      }
    }
  }

  private void formula(Ast.Formula f, Ast.Decl in) {
    if (f instanceof Ast.Not n) {
      formula(n.operand(), in);
    } else if (f instanceof Ast.And a) {
      formula(a.left(), in);
      formula(a.right(), in);
    } else if (f instanceof Ast.Or o) {
      formula(o.left(), in);
      formula(o.right(), in);
    } else if (f instanceof Ast.Implies i) {
      formula(i.left(), in);
      formula(i.right(), in);
    } else if (f instanceof Ast.Comparison c) {
      expr(c.left(), in);
      expr(c.right(), in);
    } else if (f instanceof Ast.ArgFormula a) {
      ref(a.network(), in);
      expr(a.label(), in);
    }
  }

  private void expr(Ast.Expr e, Ast.Decl in) {
    if (e instanceof Ast.NameRef n) {
      ref(n.name(), in);
    } else if (e instanceof Ast.OutputRef o) {
      ref(o.network(), in);
      expr(o.index(), in);
    } else if (e instanceof Ast.Unary u) {
      expr(u.operand(), in);
    } else if (e instanceof Ast.Binary b) {
      expr(b.left(), in);
      expr(b.right(), in);
    } else if (e instanceof Ast.ListExpr l) {
      for (Ast.Expr x : l.elements()) {
        expr(x, in);
      }
    }
  }

  /** The output references {@code net(x)[i]} of a formula, for hovers. */
  static void outputRefs(Ast.Formula f, List<Ast.OutputRef> out) {
    if (f instanceof Ast.Not n) {
      outputRefs(n.operand(), out);
    } else if (f instanceof Ast.And a) {
      outputRefs(a.left(), out);
      outputRefs(a.right(), out);
    } else if (f instanceof Ast.Or o) {
      outputRefs(o.left(), out);
      outputRefs(o.right(), out);
    } else if (f instanceof Ast.Implies i) {
      outputRefs(i.left(), out);
      outputRefs(i.right(), out);
    } else if (f instanceof Ast.Comparison c) {
      outputRefs(c.left(), out);
      outputRefs(c.right(), out);
    }
  }

  private static void outputRefs(Ast.Expr e, List<Ast.OutputRef> out) {
    if (e instanceof Ast.OutputRef o) {
      out.add(o);
    } else if (e instanceof Ast.Unary u) {
      outputRefs(u.operand(), out);
    } else if (e instanceof Ast.Binary b) {
      outputRefs(b.left(), out);
      outputRefs(b.right(), out);
    }
  }
}
