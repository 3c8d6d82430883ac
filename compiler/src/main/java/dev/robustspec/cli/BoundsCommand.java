package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.run.LayerBounds;
import dev.robustspec.engine.run.NodeBounds;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.base.Budget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code robustspec bounds NET PROP --pass P} or {@code bounds FILE.rspec --property P --pass
 * P}: the neuron bounds a pass computes.
 */
@Command(
    name = "bounds",
    header = "Print every neuron's bounds under a property's input region.",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the pre-activation lower and upper bound of every neuron of every layer (each",
        "dense, convolution, pooling, affine or residual node's output; layers are named by",
        "their ONNX node) under the property's input region (the first box if it has several),",
        "as computed by one pass. The last entry is the network output. The property is a",
        "VNN-LIB file for a network file, or a property of a .rspec file (--property).",
        "",
        "Without --json: per layer, its shape (CxHxW for an image), the neuron count, the bound",
        "range, the mean width and how many neurons are stably active (lower >= 0), stably",
        "inactive (upper <= 0) or unstable (not for the output, which no activation follows);",
        "a layer with channels has one more line per channel.",
        ""},
    footer = {
        "",
        "Example:",
        "  robustspec bounds examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx \\",
        "                    examples/acasxu/prop_1.vnnlib --pass deeppoly --json",
        "  robustspec bounds examples/acasxu.rspec --property phi1 --pass lp",
        "",
        "JSON: {\"layers\":[{\"name\":...,\"kind\":...,\"shape\":[c,h,w],\"lower\":[...],",
        "  \"upper\":[...], for an image \"neurons\":[{\"index\":[c,h,w],\"lower\":...,",
        "  \"upper\":...}, ...] and \"channels\":[{\"min\",\"max\",\"meanWidth\",\"active\",",
        "  \"dead\",\"unstable\"}, ...]}, ...]}"})
final class BoundsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The passes whose bounds can be shown. */
  enum PassChoice {
    interval(LayerBounds.Pass.INTERVAL), deeppoly(LayerBounds.Pass.DEEPPOLY),
    lp(LayerBounds.Pass.LP);

    final LayerBounds.Pass pass;

    PassChoice(LayerBounds.Pass pass) {
      this.pass = pass;
    }
  }

  @Parameters(index = "0", paramLabel = "NET", description = "network: .onnx or .nnet; or a"
      + " .rspec file (with --property)")
  Path network;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PROP",
      description = "property: .vnnlib (not with a .rspec file)")
  Path property;

  @Option(names = "--property", paramLabel = "NAME",
      description = "the property of the .rspec file whose region is bounded")
  String propertyName;

  @Option(names = "--pass", required = true, paramLabel = "PASS",
      description = "interval, deeppoly or lp (each runs after the ones before it, as in a"
          + " plan; lp: two LPs per unstable neuron and output, slow on wide networks)")
  PassChoice pass;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Network net;
    Specification prop;
    String source;
    if (network.getFileName() != null && network.getFileName().toString().endsWith(".rspec")) {
      if (property != null || propertyName == null) {
        err.println("robustspec bounds: with a .rspec file, name the property with --property"
            + " NAME (and no PROP file)");
        return ExitCodes.INPUT_ERROR;
      }
      Compilation c = SpecFiles.load(network, err);
      if (c == null) {
        return ExitCodes.INPUT_ERROR;
      }
      SpecFiles.printDiagnostics(c, err);
      if (c.hasErrors()) {
        return ExitCodes.INPUT_ERROR;
      }
      Compilation.CompiledProperty p = c.properties().stream()
          .filter(x -> x.name().equals(propertyName)).findFirst().orElse(null);
      if (p == null) {
        err.println("robustspec bounds: no property named '" + propertyName + "' in " + network
            + "; its properties: " + String.join(", ",
                c.properties().stream().map(Compilation.CompiledProperty::name).toList()));
        return ExitCodes.INPUT_ERROR;
      }
      net = p.network();
      prop = p.specification();
      source = "property '" + propertyName + "' of " + network;
    } else {
      if (property == null || propertyName != null) {
        err.println("robustspec bounds: give NET and a PROP .vnnlib file, or a .rspec file"
            + " with --property NAME");
        return ExitCodes.INPUT_ERROR;
      }
      try {
        Inputs.Instance instance = Inputs.instance(network, property);
        net = instance.network();
        prop = instance.property();
      } catch (InputFormatException e) {
        err.println("robustspec: " + e.getMessage());
        return ExitCodes.INPUT_ERROR;
      }
      source = property.toString();
    }
    if (prop.cases().isEmpty()) {
      err.println("robustspec: " + source + " has no unsafe case, hence no input region");
      return ExitCodes.INPUT_ERROR;
    }
    Box region = prop.regions().get(0);
    BoundState state = LayerBounds.compute(net, region, pass.pass, Budget.unlimited());
    List<NodeBounds> shown = new ArrayList<>();
    for (NodeView v : shownViews(net)) {
      shown.add(NodeBounds.of(v, state));
    }
    NodeView output = net.views().get(net.views().size() - 1);
    if (json) {
      printJson(out, shown);
    } else {
      out.printf(Locale.ROOT, "%-24s %-10s %7s %12s %12s %12s %7s %7s %7s%n", "layer", "shape",
          "neurons", "min lower", "max upper", "mean width", "active", "dead", "unstable");
      for (NodeBounds b : shown) {
        // the output: no activation follows, nothing to count
        boolean counts = b.view() != output;
        row(out, b.view().name(), b.view().shapeLabel(), b.summary(), counts);
        List<NodeBounds.Summary> channels = b.channels();
        for (int c = 0; c < channels.size(); c++) {
          row(out, "  channel " + c, "", channels.get(c), counts);
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void row(PrintWriter out, String name, String shape, NodeBounds.Summary s,
      boolean counts) {
    out.printf(Locale.ROOT, "%-24s %-10s %7d %12.5g %12.5g %12.5g", name, shape, s.neurons(),
        s.min(), s.max(), s.meanWidth());
    if (counts) {
      out.printf(Locale.ROOT, " %7d %7d %7d%n", s.active(), s.dead(), s.unstable());
    } else {
      out.printf(Locale.ROOT, " %7s %7s %7s%n", "-", "-", "-");
    }
  }

  private void printJson(PrintWriter out, List<NodeBounds> shown) {
    JsonArray layers = new JsonArray();
    for (NodeBounds b : shown) {
      NodeView v = b.view();
      JsonObject l = new JsonObject();
      l.addProperty("name", v.name());
      l.addProperty("kind", v.kind());
      l.add("shape", ints(v.shape()));
      l.add("lower", Reports.array(b.lower()));
      l.add("upper", Reports.array(b.upper()));
      if (v.shape().length > 1) { // an image: each neuron with its (c, h, w)
        JsonArray neurons = new JsonArray();
        for (int i = 0; i < b.lower().length; i++) {
          JsonObject n = new JsonObject();
          n.add("index", ints(v.index(i)));
          n.addProperty("lower", b.lower()[i]);
          n.addProperty("upper", b.upper()[i]);
          neurons.add(n);
        }
        l.add("neurons", neurons);
      }
      if (v.hasChannels()) {
        JsonArray channels = new JsonArray();
        for (NodeBounds.Summary c : b.channels()) {
          JsonObject o = new JsonObject();
          o.addProperty("min", c.min());
          o.addProperty("max", c.max());
          o.addProperty("meanWidth", c.meanWidth());
          o.addProperty("active", c.active());
          o.addProperty("dead", c.dead());
          o.addProperty("unstable", c.unstable());
          channels.add(o);
        }
        l.add("channels", channels);
      }
      layers.add(l);
    }
    JsonObject root = new JsonObject();
    root.addProperty("pass", pass.name());
    root.add("layers", layers);
    out.println(Reports.toJson(root));
  }

  private static JsonArray ints(int[] values) {
    JsonArray a = new JsonArray();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  /**
   * The values shown: the graph nodes' outputs that are no activation and change more than the
   * shape (pre-activations), and always the output.
   */
  static List<NodeView> shownViews(Network net) {
    List<NodeView> shown = new ArrayList<>();
    List<NodeView> views = net.views();
    for (int k = 0; k < views.size(); k++) {
      Layer l = views.get(k).layer();
      if ((!l.isActivation() && !l.isShapeOnly()) || k == views.size() - 1) {
        shown.add(views.get(k));
      }
    }
    return shown;
  }
}
