package dev.robustspec.compiler.syntax;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.grammar.RobustSpecBaseVisitor;
import dev.robustspec.grammar.RobustSpecParser;
import dev.robustspec.grammar.RobustSpecParser.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Turns the ANTLR parse tree into the immutable {@link Ast}, one method per grammar rule. Parts
 * the parser could not recover come out as {@code null} (or are left out of lists); ANTLR types
 * never leave this package.
 */
final class AstBuilder {

  Ast.SpecFile file(FileContext ctx) {
    List<Ast.Decl> decls = new ArrayList<>();
    for (DeclarationContext d : ctx.declaration()) {
      Ast.Decl decl = declaration(d);
      if (decl != null) {
        decls.add(decl);
      }
    }
    return new Ast.SpecFile(decls);
  }

  private Ast.Decl declaration(DeclarationContext ctx) {
    if (ctx.letDecl() != null) {
      LetDeclContext l = ctx.letDecl();
      Ast.Ident name = ident(l.name);
      return name == null ? null : new Ast.LetDecl(name, expr(l.value), range(l));
    }
    if (ctx.paramDecl() != null) {
      ParamDeclContext l = ctx.paramDecl();
      Ast.Ident name = ident(l.name);
      return name == null ? null : new Ast.LetDecl(name, expr(l.value), true, range(l));
    }
    if (ctx.datasetDecl() != null) {
      return dataset(ctx.datasetDecl());
    }
    if (ctx.networkDecl() != null) {
      return network(ctx.networkDecl());
    }
    if (ctx.regionDecl() != null) {
      RegionDeclContext r = ctx.regionDecl();
      Ast.Ident name = ident(r.name);
      return name == null ? null : new Ast.RegionDecl(name, region(r.region()), range(r));
    }
    if (ctx.propertyDecl() != null) {
      return property(ctx.propertyDecl());
    }
    if (ctx.verifyDecl() != null) {
      VerifyDeclContext v = ctx.verifyDecl();
      List<Ast.Ident> targets = new ArrayList<>();
      for (Token t : v.targets) {
        Ast.Ident id = ident(t);
        if (id != null) {
          targets.add(id);
        }
      }
      List<Ast.PassCall> passes = new ArrayList<>();
      for (PassContext p : v.pass()) {
        Ast.Ident name = ident(p.name);
        if (name != null) {
          passes.add(new Ast.PassCall(name, arguments(p.argument()), range(p)));
        }
      }
      return new Ast.VerifyDecl(targets, passes, range(v));
    }
    return null;
  }

  private Ast.Decl network(NetworkDeclContext ctx) {
    if (ctx instanceof ImportedNetworkContext c) {
      Ast.Ident name = ident(c.name);
      Ast.FileSource src = fileSource(c.source);
      return name == null ? null : new Ast.NetworkDecl(name,
          src == null ? null : new Ast.ImportedNetwork(src, src.range()), range(c));
    }
    if (ctx instanceof InlineNetworkContext c) {
      Ast.Ident name = ident(c.name);
      List<Ast.LayerSyntax> layers = new ArrayList<>();
      for (LayerContext l : c.layer()) {
        Ast.LayerSyntax layer = layer(l);
        if (layer != null) {
          layers.add(layer);
        }
      }
      return name == null ? null
          : new Ast.NetworkDecl(name, new Ast.InlineNetwork(layers, range(c)), range(c));
    }
    return null;
  }

  private Ast.LayerSyntax layer(LayerContext ctx) {
    return ctx.accept(layerSyntax);
  }

  /** One case per labelled alternative of the grammar's {@code layer} rule. */
  private final RobustSpecBaseVisitor<Ast.LayerSyntax> layerSyntax =
      new RobustSpecBaseVisitor<>() {
        @Override
        public Ast.LayerSyntax visitInputLayer(InputLayerContext c) {
          return new Ast.InputLayer(ident(c.var), expr(c.size), range(c));
        }

        @Override
        public Ast.LayerSyntax visitDenseLayer(DenseLayerContext c) {
          return new Ast.DenseLayerSyntax(expr(c.weights), expr(c.bias), range(c));
        }

        @Override
        public Ast.LayerSyntax visitReluLayer(ReluLayerContext c) {
          return new Ast.ReluLayerSyntax(range(c));
        }

        @Override
        protected Ast.LayerSyntax defaultResult() {
          return null;
        }
      };

  private Ast.RegionExpr region(RegionContext ctx) {
    if (ctx instanceof BoxRegionContext c) {
      List<Ast.BoxItem> items = new ArrayList<>();
      for (BoxItemContext i : c.boxItem()) {
        items.add(new Ast.BoxItem(ident(i.var), expr(i.from), i.to == null ? null : expr(i.to),
            expr(i.lo), expr(i.hi), range(i)));
      }
      return new Ast.BoxRegion(items, range(c));
    }
    if (ctx instanceof LinfRegionContext c) {
      return new Ast.LinfRegion(arguments(c.argument()), c.lo == null ? null : expr(c.lo),
          c.hi == null ? null : expr(c.hi), range(c));
    }
    if (ctx instanceof FileRegionContext c) {
      Ast.FileSource src = fileSource(c.source);
      return src == null ? null : new Ast.FileRegion(src, range(c));
    }
    return null;
  }

  private Ast.Decl property(PropertyDeclContext ctx) {
    if (ctx instanceof FormulaPropertyContext c && c.item != null) {
      Ast.Ident name = ident(c.name);
      return name == null ? null : new Ast.DatasetProperty(name, ident(c.item), ident(c.label),
          ident(c.dataset), ident(c.var), c.inline == null ? null : region(c.inline),
          formula(c.formula()), radiusSearch(c.search), range(c));
    }
    if (ctx instanceof FormulaPropertyContext c && c.search != null) {
      Ast.Ident name = ident(c.name);
      Ast.RadiusSearch search = radiusSearch(c.search);
      return name == null || search == null ? null : new Ast.RadiusProperty(name, search,
          ident(c.var), c.inline == null ? null : region(c.inline), formula(c.formula()),
          range(c));
    }
    if (ctx instanceof FormulaPropertyContext c) {
      Ast.Ident name = ident(c.name);
      return name == null ? null : new Ast.FormulaProperty(name, ident(c.var),
          ident(c.regionName), formula(c.formula()), range(c));
    }
    if (ctx instanceof FilePropertyContext c) {
      Ast.Ident name = ident(c.name);
      return name == null ? null
          : new Ast.FileProperty(name, fileSource(c.source), ident(c.networkName), range(c));
    }
    return null;
  }

  private Ast.RadiusSearch radiusSearch(RadiusSearchContext ctx) {
    if (ctx == null) {
      return null;
    }
    Ast.Ident variable = ident(ctx.var);
    return variable == null ? null : new Ast.RadiusSearch(variable,
        ctx.lo == null ? null : expr(ctx.lo), ctx.hi == null ? null : expr(ctx.hi),
        ctx.tol == null ? null : expr(ctx.tol), range(ctx));
  }

  private Ast.Decl dataset(DatasetDeclContext ctx) {
    Ast.Ident name = ident(ctx.name);
    Ast.Ident kind = ident(ctx.kind);
    String path = string(ctx.path);
    if (name == null || kind == null || path == null) {
      return null;
    }
    Ast.FileSource source = new Ast.FileSource(kind, path, range(ctx.path),
        range(ctx.kind).to(range(ctx.path)));
    List<Ast.Argument> args = new ArrayList<>();
    Ast.Expr from = null;
    Ast.Expr to = null;
    SourceRange rows = null;
    for (DatasetArgumentContext a : ctx.datasetArgument()) {
      if (a instanceof RangeArgumentContext r) {
        Ast.Ident n = ident(r.name);
        if (n != null) {
          if (n.text().equals("rows")) {
            from = expr(r.from);
            to = expr(r.to);
            rows = range(r);
          } else {
            args.add(new Ast.Argument(n, null, range(r))); // the checker says a range fits only rows
          }
        }
      } else if (a instanceof ValueArgumentContext v) {
        args.addAll(arguments(List.of(v.argument())));
      }
    }
    return new Ast.DatasetDecl(name, source, args, from, to, rows, range(ctx));
  }

  private List<Ast.Argument> arguments(List<ArgumentContext> ctxs) {
    List<Ast.Argument> out = new ArrayList<>();
    for (ArgumentContext a : ctxs) {
      Ast.Ident name = ident(a.name);
      if (name != null) {
        out.add(new Ast.Argument(name, expr(a.value), range(a)));
      }
    }
    return out;
  }

  private Ast.FileSource fileSource(FileSourceContext ctx) {
    if (ctx == null) {
      return null;
    }
    Ast.Ident kind = ident(ctx.kind);
    String path = string(ctx.path);
    if (kind == null || path == null) {
      return null;
    }
    return new Ast.FileSource(kind, path, range(ctx.path), range(ctx));
  }

  private Ast.Formula formula(FormulaContext ctx) {
    if (ctx == null) {
      return null;
    }
    if (ctx instanceof NotFormulaContext c) {
      return new Ast.Not(formula(c.formula()), range(c));
    }
    if (ctx instanceof AndFormulaContext c) {
      return new Ast.And(formula(c.left), formula(c.right), range(c));
    }
    if (ctx instanceof OrFormulaContext c) {
      return new Ast.Or(formula(c.left), formula(c.right), range(c));
    }
    if (ctx instanceof ImpliesFormulaContext c) {
      return new Ast.Implies(formula(c.left), formula(c.right), range(c));
    }
    if (ctx instanceof ParenFormulaContext c) {
      return formula(c.formula());
    }
    if (ctx instanceof ComparisonContext c) {
      return new Ast.Comparison(expr(c.left), c.op == null ? "<=" : c.op.getText(),
          expr(c.right), range(c));
    }
    if (ctx instanceof ArgFormulaContext c) {
      return new Ast.ArgFormula(c.fn.getText(), ident(c.net), ident(c.var),
          c.op == null ? "==" : c.op.getText(), expr(c.cls), range(c));
    }
    return null;
  }

  private Ast.Expr expr(ExprContext ctx) {
    if (ctx == null || ctx.exception != null && ctx.getChildCount() == 0) {
      return null;
    }
    if (ctx instanceof SignExprContext c) {
      return new Ast.Unary(c.op.getText(), expr(c.expr()), range(c));
    }
    if (ctx instanceof MulExprContext c) {
      return new Ast.Binary(expr(c.left), c.op.getText(), expr(c.right), range(c));
    }
    if (ctx instanceof AddExprContext c) {
      return new Ast.Binary(expr(c.left), c.op.getText(), expr(c.right), range(c));
    }
    if (ctx instanceof ParenExprContext c) {
      return expr(c.expr());
    }
    if (ctx instanceof OutputExprContext c) {
      return new Ast.OutputRef(ident(c.net), ident(c.var), expr(c.index), range(c));
    }
    if (ctx instanceof FileExprContext c) {
      String path = string(c.path);
      Ast.Ident fn = ident(c.fn);
      return path == null || fn == null ? null
          : new Ast.FileCall(fn, path, range(c.path), range(c));
    }
    if (ctx instanceof ListExprContext c) {
      List<Ast.Expr> elements = new ArrayList<>();
      for (ExprContext e : c.expr()) {
        Ast.Expr x = expr(e);
        if (x != null) {
          elements.add(x);
        }
      }
      return new Ast.ListExpr(elements, range(c));
    }
    if (ctx instanceof NumberExprContext c) {
      return new Ast.NumberLit(Double.parseDouble(c.NUMBER().getText()), range(c));
    }
    if (ctx instanceof DurationExprContext c) {
      return new Ast.DurationLit(Durations.seconds(c.DURATION().getText()), range(c));
    }
    if (ctx instanceof NameExprContext c) {
      Ast.Ident id = ident(c.IDENT().getSymbol());
      return id == null ? null : new Ast.NameRef(id, id.range());
    }
    return null;
  }

  /** The string literal's content, escapes resolved; null for a missing token. */
  private static String string(Token t) {
    if (!present(t)) {
      return null;
    }
    String s = t.getText();
    if (s.length() < 2) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() - 1) {
        c = s.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static boolean present(Token t) {
    return t != null && t.getStartIndex() >= 0 && t.getTokenIndex() >= 0
        && t.getType() != Token.EOF;
  }

  private static Ast.Ident ident(Token t) {
    if (!present(t) || t.getType() != RobustSpecParser.IDENT) {
      return null;
    }
    return new Ast.Ident(t.getText(), range(t));
  }

  static SourceRange range(Token t) {
    int len = Math.max(0, t.getStopIndex() - t.getStartIndex() + 1);
    return new SourceRange(t.getLine(), t.getCharPositionInLine() + 1, t.getLine(),
        t.getCharPositionInLine() + 1 + len, t.getStartIndex(), t.getStartIndex() + len);
  }

  static SourceRange range(ParserRuleContext ctx) {
    Token start = ctx.getStart();
    Token stop = ctx.getStop();
    if (start == null) {
      return SourceRange.NONE;
    }
    if (stop == null || stop.getType() == Token.EOF || stop.getStopIndex() < start.getStartIndex()) {
      stop = start;
    }
    SourceRange s = range(start);
    SourceRange e = range(stop);
    return s.to(e);
  }
}
