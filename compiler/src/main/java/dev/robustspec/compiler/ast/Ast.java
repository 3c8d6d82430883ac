package dev.robustspec.compiler.ast;

import java.util.List;

/**
 * The immutable syntax tree of a {@code .rspec} file. Built from the parse tree by
 * {@link dev.robustspec.compiler.syntax.AstBuilder}; every node carries its source range.
 * Nodes the parser could only partly recover may hold {@code null} children; the checker
 * skips those (the syntax error was already reported).
 */
public final class Ast {
  private Ast() {}

  /** A name as written, with its range. */
  public record Ident(String text, SourceRange range) {}

  /** A whole file. */
  public record SpecFile(List<Decl> declarations) {
    public SpecFile {
      declarations = List.copyOf(declarations);
    }
  }

  /** A top-level declaration. */
  public sealed interface Decl {
    SourceRange range();
  }

  /** A declaration that introduces a name. */
  public sealed interface NamedDecl extends Decl {
    Ident name();
  }

  /**
   * {@code let name = value}, or with {@code param} a value the command line may override
   * ({@code --set name=v}, {@code --sweep name=v1,v2}).
   */
  public record LetDecl(Ident name, Expr value, boolean param, SourceRange range)
      implements NamedDecl {
    public LetDecl(Ident name, Expr value, SourceRange range) {
      this(name, value, false, range);
    }
  }

  /**
   * {@code dataset d = csv("file.csv", scale = 1/255, rows = 0..99, ...)}: a labelled data set;
   * {@code arguments} are the options ({@code scale}, {@code mean}, {@code std}, {@code shape},
   * {@code labels}), {@code rowsFrom}/{@code rowsTo} the inclusive row range (null: every row).
   */
  public record DatasetDecl(Ident name, FileSource source, List<Argument> arguments,
      Expr rowsFrom, Expr rowsTo, SourceRange rowsRange, SourceRange range)
      implements NamedDecl {
    public DatasetDecl {
      arguments = List.copyOf(arguments);
    }
  }

  public record NetworkDecl(Ident name, NetworkSource source, SourceRange range)
      implements NamedDecl {}

  public record RegionDecl(Ident name, RegionExpr region, SourceRange range)
      implements NamedDecl {}

  public sealed interface PropertyDecl extends NamedDecl {}

  /** {@code property p: forall x in region: formula}. */
  public record FormulaProperty(Ident name, Ident variable, Ident region, Formula formula,
      SourceRange range) implements PropertyDecl {}

  /**
   * {@code property p: forall (item, label) in dataset: forall x in REGION: formula}: one
   * property per item of the data set, where {@code item} is the item's values (scaled and
   * normalised) and {@code label} its label, in the region and the formula.
   */
  public record DatasetProperty(Ident name, Ident item, Ident label, Ident dataset,
      Ident variable, RegionExpr region, Formula formula, RadiusSearch radius, SourceRange range)
      implements PropertyDecl {
    /** A property over a data set without a radius search. */
    public DatasetProperty(Ident name, Ident item, Ident label, Ident dataset, Ident variable,
        RegionExpr region, Formula formula, SourceRange range) {
      this(name, item, label, dataset, variable, region, formula, null, range);
    }
  }

  /**
   * {@code property p: largest eps in (0, 0.1] tolerance 0.001: forall x in REGION: formula}:
   * the largest radius at which the formula holds over the region, whose {@code eps} is the
   * bound {@code variable}. Over a data set, {@link DatasetProperty#radius} carries it instead.
   */
  public record RadiusProperty(Ident name, RadiusSearch radius, Ident variable,
      RegionExpr region, Formula formula, SourceRange range) implements PropertyDecl {}

  /**
   * {@code largest eps in (from, to] tolerance t}: binds {@code variable}; {@code tolerance}
   * null when not written.
   */
  public record RadiusSearch(Ident variable, Expr from, Expr to, Expr tolerance,
      SourceRange range) {}

  /** {@code property p = vnnlib("file") on net}. */
  public record FileProperty(Ident name, FileSource source, Ident network, SourceRange range)
      implements PropertyDecl {}

  /** {@code verify p, q using pass(...), ...}; no passes means the default plan. */
  public record VerifyDecl(List<Ident> targets, List<PassCall> passes, SourceRange range)
      implements Decl {
    public VerifyDecl {
      targets = List.copyOf(targets);
      passes = List.copyOf(passes);
    }
  }

  public record PassCall(Ident name, List<Argument> arguments, SourceRange range) {
    public PassCall {
      arguments = List.copyOf(arguments);
    }
  }

  public record Argument(Ident name, Expr value, SourceRange range) {}

  /** {@code kind("path")}, e.g. {@code onnx("net.onnx")}. */
  public record FileSource(Ident kind, String path, SourceRange pathRange, SourceRange range) {}

  // networks

  public sealed interface NetworkSource {
    SourceRange range();
  }

  public record ImportedNetwork(FileSource file, SourceRange range) implements NetworkSource {}

  public record InlineNetwork(List<LayerSyntax> layers, SourceRange range)
      implements NetworkSource {
    public InlineNetwork {
      layers = List.copyOf(layers);
    }
  }

  public sealed interface LayerSyntax {
    SourceRange range();
  }

  public record InputLayer(Ident variable, Expr size, SourceRange range) implements LayerSyntax {}

  public record DenseLayerSyntax(Expr weights, Expr bias, SourceRange range)
      implements LayerSyntax {}

  public record ReluLayerSyntax(SourceRange range) implements LayerSyntax {}

  // regions

  public sealed interface RegionExpr {
    SourceRange range();
  }

  public record BoxRegion(List<BoxItem> items, SourceRange range) implements RegionExpr {
    public BoxRegion {
      items = List.copyOf(items);
    }
  }

  /** {@code x[from] in [lo, hi]} or {@code x[from..to] in [lo, hi]} (to inclusive). */
  public record BoxItem(Ident variable, Expr from, Expr to, Expr lower, Expr upper,
      SourceRange range) {}

  public record LinfRegion(List<Argument> arguments, Expr clipLower, Expr clipUpper,
      SourceRange range) implements RegionExpr {
    public LinfRegion {
      arguments = List.copyOf(arguments);
    }
  }

  public record FileRegion(FileSource file, SourceRange range) implements RegionExpr {}

  // formulas

  public sealed interface Formula {
    SourceRange range();
  }

  public record Not(Formula operand, SourceRange range) implements Formula {}

  public record And(Formula left, Formula right, SourceRange range) implements Formula {}

  public record Or(Formula left, Formula right, SourceRange range) implements Formula {}

  public record Implies(Formula left, Formula right, SourceRange range) implements Formula {}

  /** {@code left op right} with op one of {@code <=, >=, <, >}. */
  public record Comparison(Expr left, String op, Expr right, SourceRange range)
      implements Formula {}

  /** {@code argmax(net(x)) == c}, {@code argmin(net(x)) != c}. */
  public record ArgFormula(String function, Ident network, Ident variable, String op,
      Expr label, SourceRange range) implements Formula {}

  // expressions

  public sealed interface Expr {
    SourceRange range();
  }

  public record NumberLit(double value, SourceRange range) implements Expr {}

  /** A duration such as {@code 60s}, {@code 500ms}, {@code 2min}, in seconds. */
  public record DurationLit(double seconds, SourceRange range) implements Expr {}

  public record NameRef(Ident name, SourceRange range) implements Expr {}

  public record Unary(String op, Expr operand, SourceRange range) implements Expr {}

  public record Binary(Expr left, String op, Expr right, SourceRange range) implements Expr {}

  /** {@code net(x)[index]}: an output of a network applied to the property's variable. */
  public record OutputRef(Ident network, Ident variable, Expr index, SourceRange range)
      implements Expr {}

  /** {@code csv("file")}: data read from a file. */
  public record FileCall(Ident function, String path, SourceRange pathRange, SourceRange range)
      implements Expr {}

  public record ListExpr(List<Expr> elements, SourceRange range) implements Expr {
    public ListExpr {
      elements = List.copyOf(elements);
    }
  }
}
