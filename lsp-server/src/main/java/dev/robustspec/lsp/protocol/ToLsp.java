package dev.robustspec.lsp.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.diag.Severity;
import dev.robustspec.lsp.service.BoundsTable;
import dev.robustspec.lsp.service.CodeLenses;
import dev.robustspec.lsp.service.Completions;
import dev.robustspec.lsp.service.EditorDiagnostic;
import dev.robustspec.lsp.service.HoverResult;
import dev.robustspec.lsp.service.Navigation;
import dev.robustspec.lsp.service.PropertyProgress;
import dev.robustspec.lsp.service.PropertyStatus;
import dev.robustspec.lsp.service.RadiusFixes;
import dev.robustspec.lsp.service.SemanticTokens;
import dev.robustspec.lsp.service.Verdicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressNotification;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolKind;

/** Small pure conversions from the language service's records to LSP4J types and JSON. */
final class ToLsp {
  private ToLsp() {}

  /** 1-based line/column to 0-based LSP positions (columns in UTF-16 units, as the parser's). */
  static Range range(SourceRange r) {
    if (r == null) {
      return new Range(new Position(0, 0), new Position(0, 0));
    }
    return new Range(new Position(Math.max(0, r.startLine() - 1), Math.max(0, r.startColumn() - 1)),
        new Position(Math.max(0, r.endLine() - 1), Math.max(0, r.endColumn() - 1)));
  }

  static Diagnostic diagnostic(String uri, EditorDiagnostic d) {
    Diagnostic out = new Diagnostic(range(d.range()), d.message(), severity(d.severity()),
        "robustspec", d.code());
    if (!d.related().isEmpty()) {
      List<DiagnosticRelatedInformation> related = new ArrayList<>();
      for (EditorDiagnostic.Related r : d.related()) {
        related.add(new DiagnosticRelatedInformation(new Location(uri, range(r.range())),
            r.message()));
      }
      out.setRelatedInformation(related);
    }
    return out;
  }

  static DiagnosticSeverity severity(Severity s) {
    switch (s) {
      case ERROR:
        return DiagnosticSeverity.Error;
      case WARNING:
        return DiagnosticSeverity.Warning;
      case INFORMATION:
        return DiagnosticSeverity.Information;
      default:
        return DiagnosticSeverity.Hint;
    }
  }

  static Hover hover(HoverResult h) {
    return h == null ? null
        : new Hover(new MarkupContent(MarkupKind.MARKDOWN, h.markdown()), range(h.range()));
  }

  /** The {@code robustspec/verdicts} notification. */
  static JsonObject verdicts(String uri, int version, List<PropertyStatus> statuses) {
    JsonObject root = new JsonObject();
    root.addProperty("uri", uri);
    root.addProperty("version", version);
    JsonArray props = new JsonArray();
    for (PropertyStatus s : statuses) {
      JsonObject p = new JsonObject();
      p.addProperty("name", s.name());
      p.addProperty("status", s.state().word());
      p.add("pass", s.pass() == null ? JsonNull.INSTANCE : new JsonPrimitive(s.pass()));
      p.add("margin", number(s.margin()));
      p.add("millis", s.millis() == null ? JsonNull.INSTANCE : new JsonPrimitive(s.millis()));
      p.add("range", rangeJson(s.nameRange()));
      props.add(p);
    }
    root.add("properties", props);
    return root;
  }

  static JsonObject rangeJson(SourceRange r) {
    Range lsp = range(r);
    JsonObject o = new JsonObject();
    o.add("start", position(lsp.getStart()));
    o.add("end", position(lsp.getEnd()));
    return o;
  }

  private static JsonObject position(Position p) {
    JsonObject o = new JsonObject();
    o.addProperty("line", p.getLine());
    o.addProperty("character", p.getCharacter());
    return o;
  }

  /** The {@code robustspec/bounds} result (non-finite numbers as null: JSON has none). */
  static JsonObject bounds(BoundsTable t) {
    JsonObject root = new JsonObject();
    root.addProperty("property", t.property());
    root.addProperty("network", t.network());
    JsonArray passes = new JsonArray();
    t.passes().forEach(passes::add);
    root.add("passes", passes);
    JsonArray layers = new JsonArray();
    for (BoundsTable.LayerBounds l : t.layers()) {
      if (l.index() < 0) {
        continue; // the input is not a layer; the hover shows it, the bound table does not
      }
      JsonObject lj = new JsonObject();
      lj.addProperty("index", l.index());
      lj.addProperty("name", l.name());
      lj.addProperty("kind", l.kind());
      lj.addProperty("size", l.size());
      JsonArray shape = new JsonArray();
      for (int d : l.shape()) {
        shape.add(d);
      }
      lj.add("shape", shape);
      JsonObject bounds = new JsonObject();
      for (Map.Entry<String, BoundsTable.PassBounds> e : l.bounds().entrySet()) {
        BoundsTable.PassBounds b = e.getValue();
        JsonObject bj = new JsonObject();
        bj.add("min", number(b.min()));
        bj.add("max", number(b.max()));
        bj.add("meanWidth", number(b.meanWidth()));
        bj.addProperty("stableActive", b.stableActive());
        bj.addProperty("stableInactive", b.stableInactive());
        bj.addProperty("unstable", b.unstable());
        JsonArray neurons = new JsonArray();
        for (int k = 0; k < b.neurons().size(); k++) {
          BoundsTable.Interval i = b.neurons().get(k);
          JsonObject n = new JsonObject();
          if (l.shape().length > 1) { // an image: the neuron's (c, h, w)
            JsonArray index = new JsonArray();
            for (int d : l.index(k)) {
              index.add(d);
            }
            n.add("index", index);
          }
          n.add("lower", number(i.lower()));
          n.add("upper", number(i.upper()));
          neurons.add(n);
        }
        bj.add("neurons", neurons);
        if (!b.channels().isEmpty()) { // a (c, h, w) value: the summary per channel
          JsonArray channels = new JsonArray();
          for (var c : b.channels()) {
            JsonObject cj = new JsonObject();
            cj.add("min", number(c.min()));
            cj.add("max", number(c.max()));
            cj.add("meanWidth", number(c.meanWidth()));
            cj.addProperty("stableActive", c.active());
            cj.addProperty("stableInactive", c.dead());
            cj.addProperty("unstable", c.unstable());
            channels.add(cj);
          }
          bj.add("channels", channels);
        }
        bounds.add(e.getKey(), bj);
      }
      lj.add("bounds", bounds);
      layers.add(lj);
    }
    root.add("layers", layers);
    if (!t.notComputed().isEmpty()) {
      JsonObject why = new JsonObject();
      t.notComputed().forEach(why::addProperty);
      root.add("notComputed", why);
    }
    return root;
  }

  static JsonObject counterexample(Verdicts.Counterexample c) {
    JsonObject o = new JsonObject();
    o.add("input", array(c.input()));
    o.add("output", array(c.output()));
    return o;
  }

  static JsonArray array(double[] v) {
    JsonArray a = new JsonArray();
    for (double x : v) {
      a.add(number(x));
    }
    return a;
  }

  static JsonElement number(Double v) {
    return v == null || v.isNaN() || v.isInfinite() ? JsonNull.INSTANCE : new JsonPrimitive(v);
  }

  static Location location(Navigation.Location l) {
    return new Location(l.uri(), range(l.range()));
  }

  static DocumentSymbol symbol(Navigation.DocumentSymbol s) {
    SymbolKind kind;
    switch (s.kind()) {
      case "network":
        kind = SymbolKind.Class;
        break;
      case "region":
        kind = SymbolKind.Struct;
        break;
      case "property":
        kind = SymbolKind.Function;
        break;
      default:
        kind = SymbolKind.Constant;
        break;
    }
    return new DocumentSymbol(s.name(), kind, range(s.range()), range(s.nameRange()), s.kind());
  }

  static CompletionItem completion(Completions.Item item) {
    CompletionItem c = new CompletionItem(item.label());
    c.setDetail(item.detail());
    c.setInsertText(item.insertText());
    switch (item.kind()) {
      case "keyword":
        c.setKind(CompletionItemKind.Keyword);
        break;
      case "network":
        c.setKind(CompletionItemKind.Class);
        break;
      case "region":
        c.setKind(CompletionItemKind.Struct);
        break;
      case "property":
        c.setKind(CompletionItemKind.Event);
        break;
      case "let":
        c.setKind(CompletionItemKind.Constant);
        break;
      case "pass":
        c.setKind(CompletionItemKind.Method);
        break;
      case "parameter":
        c.setKind(CompletionItemKind.Property);
        break;
      default:
        c.setKind(CompletionItemKind.Function);
        break;
    }
    return c;
  }

  /** The radius quick fix: one edit of the eps literal, preferred (it is the fix). */
  static org.eclipse.lsp4j.CodeAction radiusFix(String uri, RadiusFixes.Fix fix,
      Diagnostic diagnostic) {
    org.eclipse.lsp4j.CodeAction a = new org.eclipse.lsp4j.CodeAction(fix.title());
    a.setKind(org.eclipse.lsp4j.CodeActionKind.QuickFix);
    a.setDiagnostics(List.of(diagnostic));
    a.setIsPreferred(true);
    a.setEdit(radiusEdit(uri, fix));
    return a;
  }

  /** The eps literal replaced by the fix's radius. */
  static org.eclipse.lsp4j.WorkspaceEdit radiusEdit(String uri, RadiusFixes.Fix fix) {
    return new org.eclipse.lsp4j.WorkspaceEdit(Map.of(uri,
        List.of(new org.eclipse.lsp4j.TextEdit(range(fix.range()), fix.newText()))));
  }

  static CodeLens codeLens(CodeLenses.Lens l) {
    return new CodeLens(range(l.range()), new Command(l.title(), l.command(),
        new ArrayList<>(l.arguments())), null);
  }

  /** LSP's relative encoding: per token, line delta, start delta, length, type, modifiers. */
  static org.eclipse.lsp4j.SemanticTokens semanticTokens(List<SemanticTokens.Token> tokens) {
    List<Integer> data = new ArrayList<>();
    int line = 0;
    int column = 0;
    for (SemanticTokens.Token t : tokens) {
      int dl = t.line() - line;
      int dc = dl == 0 ? t.column() - column : t.column();
      if (dl < 0 || dc < 0) {
        continue; // overlapping tokens from a recovered parse: skip rather than corrupt
      }
      data.add(dl);
      data.add(dc);
      data.add(t.length());
      data.add(t.type());
      data.add(t.modifiers());
      line = t.line();
      column = t.column();
    }
    return new org.eclipse.lsp4j.SemanticTokens(data);
  }

  /** A property's progress as {@code $/progress} on {@code token}: begin, report or end. */
  static ProgressParams progress(String token, PropertyProgress p) {
    WorkDoneProgressNotification value;
    switch (p.stage()) {
      case BEGIN -> {
        WorkDoneProgressBegin b = new WorkDoneProgressBegin();
        b.setTitle("Verifying " + p.property());
        b.setMessage(p.message());
        b.setCancellable(false);
        value = b;
      }
      case REPORT -> {
        WorkDoneProgressReport r = new WorkDoneProgressReport();
        r.setMessage(p.message());
        value = r;
      }
      default -> {
        WorkDoneProgressEnd e = new WorkDoneProgressEnd();
        e.setMessage(p.message());
        value = e;
      }
    }
    return new ProgressParams(Either.forLeft(token), Either.forLeft(value));
  }
}
