package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.plan.PassRegistry;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hover texts (Markdown). What is under the cursor decides: a pass name → what it does and its
 * parameters; a property name → its verdict and plan; a network name → its layers (and, inside
 * a property, their bounds under its region); an inline layer, {@code x[i]} in a box or an
 * output {@code net(x)[i]} → their bounds under the region of the property in context: the
 * enclosing property, or for a network or region declaration the first property that uses it.
 */
final class Hovers {
  private Hovers() {}

  static HoverResult hover(LanguageService service, Analysis a, int offset) {
    AstIndex.PassUse pass = a.index().passAt(offset);
    if (pass != null) {
      return passHover(pass.call());
    }
    Ast.Decl decl = AstIndex.declarationAt(a.ast(), offset);
    AstIndex.Occurrence occ = a.index().occurrenceAt(offset);
    if (occ != null) {
      AstIndex.Symbol s = a.index().byName.get(occ.name());
      if (s != null) {
        switch (s.kind()) {
          case PROPERTY:
            if (a.property(occ.name()) == null && isDatasetProperty(a, occ.name())) {
              return new HoverResult(ItemHovers.text(a, occ.name(),
                  service.statusesFor(a).values()), occ.range());
            }
            return new HoverResult(propertyText(service, a, occ.name()), occ.range());
          case NETWORK:
            return new HoverResult(networkText(service, a, occ.name(), decl), occ.range());
          case REGION:
            return new HoverResult(regionText(a, occ.name()), occ.range());
          case LET:
            return new HoverResult(letText(a, s), occ.range());
          default:
            break;
        }
      }
    }
    if (decl instanceof Ast.NetworkDecl n && n.source() instanceof Ast.InlineNetwork inline) {
      List<Ast.LayerSyntax> layers = inline.layers();
      for (int i = 0; i < layers.size(); i++) {
        Ast.LayerSyntax l = layers.get(i);
        if (l != null && l.range() != null && l.range().contains(offset)) {
          CompiledProperty p = firstPropertyOn(a, n.name().text());
          return new HoverResult(layerText(service, a, p, n.name().text(), i - 1), l.range());
        }
      }
    }
    if (decl instanceof Ast.FormulaProperty fp) {
      List<Ast.OutputRef> outs = new ArrayList<>();
      AstIndex.outputRefs(fp.formula(), outs);
      for (Ast.OutputRef o : outs) {
        if (o.range() != null && o.range().contains(offset)) {
          return new HoverResult(outputText(service, a, fp.name().text(), o), o.range());
        }
      }
      Ast.ArgFormula arg = argFormulaAt(fp.formula(), offset);
      if (arg != null) {
        return new HoverResult(outputsText(service, a, fp.name().text(), arg), arg.range());
      }
    }
    if (decl instanceof Ast.RegionDecl r && r.region() instanceof Ast.BoxRegion box) {
      for (Ast.BoxItem item : box.items()) {
        if (item != null && item.range() != null && item.range().contains(offset)) {
          return new HoverResult(inputText(a, r.name().text(), item), item.range());
        }
      }
    }
    return null;
  }

  // ---- passes and properties ------------------------------------------------------------------

  private static boolean isDatasetProperty(Analysis a, String name) {
    return a.ast().declarations().stream().anyMatch(d -> d instanceof Ast.DatasetProperty p
        && p.name().text().equals(name));
  }

  static HoverResult passHover(Ast.PassCall call) {
    PassRegistry.PassSpec spec = PassRegistry.get(call.name().text());
    if (spec == null) {
      return new HoverResult("unknown pass `" + call.name().text() + "`; the passes: "
          + String.join(", ", PassRegistry.names()), call.name().range());
    }
    return new HoverResult(passText(spec), call.name().range());
  }

  static String passText(PassRegistry.PassSpec spec) {
    StringBuilder sb = new StringBuilder();
    sb.append("**pass** `").append(spec.name()).append("`: ").append(spec.summary())
        .append("\n\n| parameter | default | range | what it does |\n|---|---|---|---|\n");
    for (PassRegistry.ParamSpec p : spec.params()) {
      sb.append("| `").append(p.name()).append("` | ")
          .append(p.defaultValue() == null ? "the property's limit" : plain(p.defaultValue())).append(" | ")
          .append(plain(p.min())).append(" to ").append(plain(p.max())).append(" | ")
          .append(p.doc()).append(" |\n");
    }
    return sb.toString();
  }

  static String propertyText(LanguageService service, Analysis a, String name) {
    CompiledProperty p = a.property(name);
    StringBuilder sb = new StringBuilder("**property** `").append(name).append('`');
    if (p == null) {
      return sb.append(": does not compile (see the errors)").toString();
    }
    sb.append(" on network `").append(p.networkName()).append("`: ")
        .append(p.specification().cases().size()).append(" unsafe case")
        .append(p.specification().cases().size() == 1 ? "" : "s").append(", ")
        .append(p.specification().regions().size()).append(" input box")
        .append(p.specification().regions().size() == 1 ? "" : "es").append("\n\n");
    PropertyStatus s = service.statusesFor(a).get(name);
    sb.append("verdict: ").append(statusLine(s)).append("\n\n");
    sb.append("plan").append(p.plan().isDefault() ? " (default)" : "").append(": ");
    List<String> steps = new ArrayList<>();
    for (PassInvocation step : p.plan().passes()) {
      steps.add("`" + step.display() + "`");
    }
    sb.append(String.join(" → ", steps));
    return sb.toString();
  }

  static String statusLine(PropertyStatus s) {
    if (s == null) {
      return "pending";
    }
    String time = s.millis() == null ? "" : " in " + Verdicts.millis(s.millis());
    switch (s.state()) {
      case CERTIFIED:
        return "**certified** by " + s.pass() + time + ", margin " + Verdicts.number(s.margin());
      case FALSIFIED:
        return "**falsified** by " + s.pass() + time + " (counterexample in the diagnostic)";
      case UNKNOWN:
      case TIMEOUT:
        return "**" + s.state().word() + "**" + time + ", best margin "
            + Verdicts.number(s.margin()) + (s.pass() == null ? "" : " (" + s.pass() + ")");
      case ERROR:
        return "**error**: " + s.error();
      default:
        return s.state().word() + "…";
    }
  }

  // ---- networks and layers --------------------------------------------------------------------

  static String networkText(LanguageService service, Analysis a, String name, Ast.Decl in) {
    Compilation.CompiledNetwork cn = a.compilation().networks().get(name);
    if (cn == null) {
      return "**network** `" + name + "`: does not load (see the errors)";
    }
    Network net = cn.network();
    StringBuilder sb = new StringBuilder("**network** `").append(name).append("` (")
        .append(cn.origin()).append("): ").append(net.inputSize()).append(" inputs → ")
        .append(net.outputSize()).append(" outputs, ").append(net.views().size())
        .append(" layers, ").append(String.format(Locale.ROOT, "%,d", net.parameterCount()))
        .append(" parameters\n\n| # | layer | type | shape | parameters |\n|---|---|---|---|---|\n");
    for (int k = 0; k < net.views().size(); k++) {
      NodeView v = net.views().get(k);
      sb.append("| ").append(k).append(" | ").append(v.name()).append(" | ")
          .append(v.kind()).append(" | ").append(v.layer().inputSize()).append(" → ")
          .append(v.shapeLabel()).append(" | ").append(v.layer().parameterCount())
          .append(" |\n");
    }
    CompiledProperty p = in instanceof Ast.PropertyDecl pd ? a.property(pd.name().text()) : null;
    if (p != null) {
      BoundsTable t = service.bounds(a, p);
      sb.append("\nbounds of the affine, convolution and pooling layers' outputs"
          + " (pre-activations) under `")
          .append(p.name()).append("`'s region").append(firstBox(p))
          .append(" (active: lower ≥ 0, inactive: upper ≤ 0):\n\n")
          .append("| # | pass | min | max | mean width | active | inactive | unstable |\n")
          .append("|---|---|---|---|---|---|---|---|\n");
      for (BoundsTable.LayerBounds lb : t.layers()) {
        NodeView v = lb.index() < 0 ? null : net.views().get(lb.index());
        if (v == null || ((v.layer().isActivation() || v.layer().isShapeOnly())
            && lb != t.output())) {
          continue; // activation, reshape and input rows repeat their neighbours' bounds
        }
        for (Map.Entry<String, BoundsTable.PassBounds> e : lb.bounds().entrySet()) {
          BoundsTable.PassBounds b = e.getValue();
          sb.append("| ").append(lb.index() < 0 ? "in" : Integer.toString(lb.index()))
              .append(" | ").append(e.getKey()).append(" | ").append(Verdicts.number(b.min()))
              .append(" | ").append(Verdicts.number(b.max())).append(" | ")
              .append(Verdicts.number(b.meanWidth())).append(" | ").append(b.stableActive())
              .append(" | ").append(b.stableInactive()).append(" | ").append(b.unstable())
              .append(" |\n");
        }
      }
      notComputed(t, sb);
    }
    return sb.toString();
  }


  /** Bounds of layer {@code index} (-1: the input) of network {@code name} under {@code p}. */
  static String layerText(LanguageService service, Analysis a, CompiledProperty p, String name,
      int index) {
    Compilation.CompiledNetwork cn = a.compilation().networks().get(name);
    String what = index < 0 ? "input" : "layer " + index;
    if (cn == null) {
      return "**" + what + "** of `" + name + "`: the network does not compile";
    }
    if (index >= cn.network().views().size()) {
      return "**" + what + "** of `" + name + "`";
    }
    StringBuilder sb = new StringBuilder("**").append(what).append("** of `").append(name)
        .append('`');
    if (index >= 0) {
      NodeView v = cn.network().views().get(index);
      sb.append(": ").append(v.kind())
          .append(", ").append(v.layer().inputSize()).append(" → ").append(v.shapeLabel());
    }
    if (p == null) {
      return sb.append("\n\nno compiled property uses this network, so there is no region to"
          + " bound it on").toString();
    }
    BoundsTable t = service.bounds(a, p);
    sb.append("\n\nbounds under `").append(p.name()).append("`'s region").append(firstBox(p))
        .append(":\n\n");
    LayerBoundsText.append(t.layer(index), sb);
    notComputed(t, sb);
    return sb.toString();
  }

  private static void notComputed(BoundsTable t, StringBuilder sb) {
    for (Map.Entry<String, String> e : t.notComputed().entrySet()) {
      sb.append("\n").append(e.getKey()).append(": not computed (").append(e.getValue())
          .append(")\n");
    }
  }

  static String outputText(LanguageService service, Analysis a, String property,
      Ast.OutputRef o) {
    CompiledProperty p = a.property(property);
    if (p == null || !(o.index() instanceof Ast.NumberLit lit)) {
      return "**output** of `" + (o.network() == null ? "?" : o.network().text()) + "`"
          + (p == null ? ": the property does not compile" : "");
    }
    int i = (int) lit.value();
    BoundsTable t = service.bounds(a, p);
    StringBuilder sb = new StringBuilder("**output ").append(i).append("** of `")
        .append(p.networkName()).append("` under `").append(property).append("`'s region")
        .append(firstBox(p)).append("\n\n");
    BoundsTable.LayerBounds lb = t.output();
    for (Map.Entry<String, BoundsTable.PassBounds> e : lb.bounds().entrySet()) {
      double[] lo = e.getValue().lower();
      double[] hi = e.getValue().upper();
      if (i >= 0 && i < lo.length) {
        sb.append("- ").append(e.getKey()).append(": [").append(Verdicts.number(lo[i]))
            .append(", ").append(Verdicts.number(hi[i])).append("]\n");
      }
    }
    notComputed(t, sb);
    sb.append(DecisionText.of(service.statusesFor(a).get(property)));
    return sb.toString();
  }

  private static Ast.ArgFormula argFormulaAt(Ast.Formula f, int offset) {
    if (f == null || f.range() == null || !f.range().contains(offset)) {
      return null;
    }
    if (f instanceof Ast.ArgFormula a) {
      return a;
    }
    List<Ast.Formula> parts = new ArrayList<>();
    if (f instanceof Ast.Not n) {
      parts.add(n.operand());
    } else if (f instanceof Ast.And x) {
      parts.add(x.left());
      parts.add(x.right());
    } else if (f instanceof Ast.Or x) {
      parts.add(x.left());
      parts.add(x.right());
    } else if (f instanceof Ast.Implies x) {
      parts.add(x.left());
      parts.add(x.right());
    }
    for (Ast.Formula part : parts) {
      Ast.ArgFormula found = argFormulaAt(part, offset);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** {@code argmax(net(x)) == c}: every output's bounds, the class's marked. */
  static String outputsText(LanguageService service, Analysis a, String property,
      Ast.ArgFormula f) {
    CompiledProperty p = a.property(property);
    if (p == null) {
      return "**" + f.function() + "**: the property does not compile";
    }
    int label = f.label() instanceof Ast.NumberLit lit ? (int) lit.value() : -1;
    BoundsTable t = service.bounds(a, p);
    BoundsTable.LayerBounds out = t.output();
    StringBuilder sb = new StringBuilder("**outputs** of `").append(p.networkName())
        .append("` under `").append(property).append("`'s region").append(firstBox(p))
        .append(label >= 0 ? " (output " + label + " is the class in question)" : "")
        .append("\n\n| output | ").append(String.join(" | ", out.bounds().keySet()))
        .append(" |\n|---|").append("---|".repeat(out.bounds().size())).append('\n');
    for (int i = 0; i < Math.min(out.size(), 16); i++) {
      sb.append("| ").append(i == label ? "**" + i + "**" : Integer.toString(i)).append(" |");
      for (BoundsTable.PassBounds b : out.bounds().values()) {
        sb.append(" [").append(Verdicts.number(b.lower()[i])).append(", ")
            .append(Verdicts.number(b.upper()[i])).append("] |");
      }
      sb.append('\n');
    }
    notComputed(t, sb);
    sb.append(DecisionText.of(service.statusesFor(a).get(property)));
    return sb.toString();
  }

  static String inputText(Analysis a, String region, Ast.BoxItem item) {
    Compilation.CompiledRegion r = a.compilation().regions().get(region);
    String var = item.variable() == null ? "x" : item.variable().text();
    if (r == null || r.boxes().isEmpty() || !(item.from() instanceof Ast.NumberLit from)) {
      return "**input** `" + var + "`";
    }
    int lo = (int) from.value();
    int hi = item.to() instanceof Ast.NumberLit to ? (int) to.value() : lo;
    StringBuilder sb = new StringBuilder("**input** `").append(var).append('[').append(lo)
        .append(lo == hi ? "" : ".." + hi).append("]` in region `").append(region)
        .append("` (").append(r.dimension()).append(" inputs)\n\n");
    double[] lower = r.boxes().get(0).lower();
    double[] upper = r.boxes().get(0).upper();
    for (int i = lo; i <= hi && i < lower.length && i - lo < 16; i++) {
      sb.append("- ").append(var).append('[').append(i).append("] ∈ [")
          .append(Verdicts.number(lower[i])).append(", ").append(Verdicts.number(upper[i]))
          .append("]\n");
    }
    return sb.toString();
  }

  static String regionText(Analysis a, String name) {
    Compilation.CompiledRegion r = a.compilation().regions().get(name);
    if (r == null) {
      return "**region** `" + name + "`: does not compile (see the errors)";
    }
    double meanWidth = 0;
    for (var box : r.boxes()) {
      double w = 0;
      for (int i = 0; i < box.dimension(); i++) {
        w += box.upper()[i] - box.lower()[i];
      }
      meanWidth = Math.max(meanWidth, box.dimension() == 0 ? 0 : w / box.dimension());
    }
    return "**region** `" + name + "`: " + r.dimension() + " inputs, " + r.boxes().size()
        + " box" + (r.boxes().size() == 1 ? "" : "es") + ", mean width per input "
        + Verdicts.number(meanWidth);
  }

  /** A constant: its declaration as written (the value may be an expression). */
  static String letText(Analysis a, AstIndex.Symbol s) {
    int from = s.decl().range().startOffset();
    int to = Math.min(s.decl().range().endOffset(), a.text().length());
    String source = from < to ? a.text().substring(from, to).strip() : "let " + s.name();
    if (source.length() > 300) {
      source = source.substring(0, 300) + " …";
    }
    return "**let** `" + s.name() + "`\n\n```\n" + source + "\n```";
  }

  /** Bounds are computed on a property's first input box; say so when it has several. */
  static String firstBox(CompiledProperty p) {
    int boxes = p.specification().regions().size();
    return boxes > 1 ? " (its first of " + boxes + " input boxes)" : "";
  }

  static CompiledProperty firstPropertyOn(Analysis a, String network) {
    for (CompiledProperty p : a.compilation().properties()) {
      if (p.networkName().equals(network)) {
        return p;
      }
    }
    return null;
  }

  static String plain(double v) {
    if (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7 || v == 0) {
      return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
    return Verdicts.number(v);
  }
}
