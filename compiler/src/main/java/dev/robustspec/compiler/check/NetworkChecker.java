package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledNetwork;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks network declarations: files through the loader, inline layers and their shapes. */
final class NetworkChecker {
  private final CheckContext check;
  private final ValueEvaluator values;

  NetworkChecker(CheckContext check, ValueEvaluator values) {
    this.check = check;
    this.values = values;
  }

  void network(Ast.NetworkDecl n) {
    String name = n.name().text();
    if (n.source() instanceof Ast.ImportedNetwork imp) {
      Ast.FileSource src = imp.file();
      String kind = src.kind().text();
      Path p = check.baseDir.resolve(src.path());
      try {
        Network net = switch (kind) {
          case "onnx" -> check.loader.onnx(p);
          case "nnet" -> check.loader.nnet(p);
          default -> null;
        };
        if (net == null) {
          check.report(SpecErrorCode.UNKNOWN_SOURCE, src.kind().range(), "unknown network format '"
              + kind + "'; networks come from onnx(\"file.onnx\") or nnet(\"file.nnet\"), or are"
              + " written inline in { }");
          check.failed.add(name);
          return;
        }
        check.networks.put(name, new CompiledNetwork(name, net, src.path(), n.range()));
      } catch (InputFormatException e) {
        check.fileError(e, src.path(), p, src.pathRange());
        check.failed.add(name);
      }
    } else if (n.source() instanceof Ast.InlineNetwork inline) {
      Network net = inlineNetwork(name, inline, n.name().range());
      if (net == null) {
        check.failed.add(name);
      } else {
        check.networks.put(name, new CompiledNetwork(name, net, "inline", n.range()));
      }
    } else {
      check.failed.add(name); // syntax error already reported
    }
  }

  private Network inlineNetwork(String name, Ast.InlineNetwork inline, SourceRange nameRange) {
    List<Ast.LayerSyntax> syntax = inline.layers();
    if (syntax.isEmpty() || !(syntax.get(0) instanceof Ast.InputLayer input)) {
      check.report(SpecErrorCode.LAYER_SHAPE, syntax.isEmpty() ? nameRange : syntax.get(0).range(),
          "an inline network starts with its input, e.g. 'input x[2]'");
      return null;
    }
    Integer size = input.size() == null ? null : values.integer(input.size(), "the input size", 1);
    if (size == null) {
      return null;
    }
    List<Layer> layers = new ArrayList<>();
    int width = size;
    int dense = 0;
    int relu = 0;
    boolean ok = true;
    for (int i = 1; i < syntax.size(); i++) {
      Ast.LayerSyntax l = syntax.get(i);
      if (l instanceof Ast.InputLayer) {
        check.report(SpecErrorCode.LAYER_SHAPE, l.range(),
            "a network has one input, declared first");
        ok = false;
      } else if (l instanceof Ast.ReluLayerSyntax) {
        layers.add(new ReluLayer(name + ".relu" + (++relu), width));
      } else if (l instanceof Ast.DenseLayerSyntax d) {
        Value w = values.eval(d.weights());
        Value b = values.eval(d.bias());
        if (w == null || b == null) {
          ok = false;
          continue;
        }
        if (!(w instanceof Value.Mat m)) {
          check.report(SpecErrorCode.TYPE_MISMATCH, d.weights().range(), "dense weights must be a"
              + " matrix [[...], ...] with one row per output, not " + w.describe());
          ok = false;
          continue;
        }
        int rows = m.rows().length;
        int cols = rows == 0 ? 0 : m.rows()[0].length;
        if (rows == 0 || cols == 0) {
          check.report(SpecErrorCode.LAYER_SHAPE, d.weights().range(),
              "the weight matrix is empty");
          ok = false;
          continue;
        }
        if (cols != width) {
          check.report(SpecErrorCode.LAYER_SHAPE, d.weights().range(), "this matrix has " + cols
              + " column" + (cols == 1 ? "" : "s") + " but the layer receives " + width
              + " value" + (width == 1 ? "" : "s") + "; it needs one column per input");
          ok = false;
          width = rows;
          continue;
        }
        double[] bias;
        if (b instanceof Value.Vec v) {
          bias = v.values();
        } else if (b instanceof Value.Num num && rows == 1) {
          bias = new double[] {num.value()};
        } else {
          check.report(SpecErrorCode.TYPE_MISMATCH, d.bias().range(),
              "the bias must be a vector of "
              + rows + " numbers, not " + b.describe());
          ok = false;
          width = rows;
          continue;
        }
        if (bias.length != rows) {
          check.report(SpecErrorCode.LAYER_SHAPE, d.bias().range(), "the bias has "
              + (bias.length == 1 ? "1 entry" : bias.length + " entries") + " but the matrix has "
              + CheckContext.count(rows, "row") + "; they must match");
          ok = false;
          width = rows;
          continue;
        }
        double[] flat = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(m.rows()[r], 0, flat, r * cols, cols);
        }
        layers.add(new DenseLayer(name + ".dense" + (++dense), cols, rows, flat, bias));
        width = rows;
      }
    }
    if (!ok) {
      return null;
    }
    if (layers.isEmpty()) {
      check.report(SpecErrorCode.LAYER_SHAPE, nameRange,
          "network '" + name + "' has no layers after its input");
      return null;
    }
    return new Network(name, new int[] {size}, layers);
  }

}
