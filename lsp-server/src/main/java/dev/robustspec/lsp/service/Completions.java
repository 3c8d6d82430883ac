package dev.robustspec.lsp.service;

import dev.robustspec.engine.plan.PassRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completion from the text before the cursor (a half-typed declaration rarely parses): the
 * declaration it is in and the last few tokens decide what fits — pass names and their
 * parameters in a plan, region names after {@code in}, network names where a network goes,
 * property names in {@code verify}, declaration keywords at the start of a line.
 */
public final class Completions {
  private static final Pattern DECL_START =
      Pattern.compile("(?m)^[ \\t]*(let|network|region|property|verify)\\b");
  private static final Pattern WORD_BEFORE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*$");

  private Completions() {}

  /**
   * One proposal. {@code kind} is {@code keyword}, {@code network}, {@code region},
   * {@code property}, {@code let}, {@code pass}, {@code parameter} or {@code function};
   * {@code insertText} is what goes in, {@code detail} a one-line description.
   */
  public record Item(String label, String kind, String detail, String insertText) {}

  static List<Item> complete(Analysis a, int offset) {
    String text = a.text();
    int end = Math.max(0, Math.min(offset, text.length()));
    String before = text.substring(0, end);
    Matcher m = DECL_START.matcher(before);
    int start = -1;
    String keyword = null;
    while (m.find()) {
      start = m.start(1);
      keyword = m.group(1);
    }
    String lineBefore = before.substring(before.lastIndexOf('\n') + 1);
    String typed = word(before);
    List<Item> out = new ArrayList<>();
    String declaration = start < 0 ? before : before.substring(start);
    boolean atLineStart = lineBefore.strip().equals(typed) && !inBraces(declaration);
    if (keyword == null || atLineStart) {
      keywords(out, "let", "network", "region", "property", "verify");
      if (keyword == null) {
        return out;
      }
    }
    String stmt = declaration;
    switch (keyword) {
      case "verify":
        verify(a, stmt, out);
        break;
      case "property":
        if (Pattern.compile("\\bin\\s+\\w*$").matcher(stmt).find()) {
          names(a, AstIndex.Kind.REGION, out);
        } else if (Pattern.compile("(\\bon|\\b(argmax|argmin)\\s*\\()\\s*\\w*$").matcher(stmt)
            .find()) {
          names(a, AstIndex.Kind.NETWORK, out);
        } else {
          names(a, AstIndex.Kind.NETWORK, out);
          names(a, AstIndex.Kind.LET, out);
          keywords(out, "forall", "in", "argmax", "argmin", "and", "or", "not");
          functions(out, "vnnlib");
        }
        break;
      case "region":
        if (Pattern.compile("\\blinf\\s*\\([^)]*$").matcher(stmt).find()
            && !Pattern.compile("=\\s*[^,]*$").matcher(stmt).find()) {
          out.add(new Item("center", "parameter", "the ball's centre: a vector or csv(\"file\")",
              "center = "));
          out.add(new Item("eps", "parameter", "the radius: a number, or one per input",
              "eps = "));
        } else {
          names(a, AstIndex.Kind.LET, out);
          keywords(out, "box", "linf", "clip", "in");
          functions(out, "vnnlib", "csv");
        }
        break;
      case "network":
        keywords(out, "input", "dense", "relu");
        functions(out, "onnx", "nnet");
        names(a, AstIndex.Kind.LET, out);
        break;
      default: // let
        names(a, AstIndex.Kind.LET, out);
        functions(out, "csv");
        break;
    }
    return out;
  }

  private static void verify(Analysis a, String stmt, List<Item> out) {
    int using = indexOfWord(stmt, "using");
    if (using < 0) {
      names(a, AstIndex.Kind.PROPERTY, out);
      keywords(out, "using");
      return;
    }
    String plan = stmt.substring(using + "using".length());
    int open = plan.lastIndexOf('(');
    if (open > plan.lastIndexOf(')')) {
      String pass = word(plan.substring(0, open).stripTrailing());
      PassRegistry.PassSpec spec = PassRegistry.get(pass);
      String args = plan.substring(open + 1);
      String current = args.substring(args.lastIndexOf(',') + 1);
      if (spec == null || current.contains("=")) {
        names(a, AstIndex.Kind.LET, out); // a value goes here
        return;
      }
      Set<String> given = new HashSet<>();
      Matcher g = Pattern.compile("(\\w+)\\s*=").matcher(args);
      while (g.find()) {
        given.add(g.group(1));
      }
      for (PassRegistry.ParamSpec p : spec.params()) {
        if (!given.contains(p.name())) {
          out.add(new Item(p.name(), "parameter", p.doc() + (p.defaultValue() == null ? ""
              : " (default " + Hovers.plain(p.defaultValue()) + ")"),
              p.name() + " = "));
        }
      }
      return;
    }
    for (PassRegistry.PassSpec p : PassRegistry.all()) {
      out.add(new Item(p.name(), "pass", p.summary(), p.name()));
    }
  }

  private static boolean inBraces(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    }
    return depth > 0;
  }

  private static int indexOfWord(String s, String w) {
    Matcher m = Pattern.compile("\\b" + w + "\\b").matcher(s);
    return m.find() ? m.start() : -1;
  }

  private static String word(String s) {
    Matcher m = WORD_BEFORE.matcher(s);
    return m.find() ? m.group() : "";
  }

  private static void names(Analysis a, AstIndex.Kind kind, List<Item> out) {
    for (AstIndex.Symbol s : a.index().symbols) {
      if (s.kind() == kind) {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        out.add(new Item(s.name(), k, k + " declared on line " + s.nameRange().startLine(),
            s.name()));
      }
    }
  }

  private static void keywords(List<Item> out, String... words) {
    for (String w : words) {
      out.add(new Item(w, "keyword", "keyword", w));
    }
  }

  private static void functions(List<Item> out, String... names) {
    for (String f : names) {
      out.add(new Item(f, "function", f + "(\"file\")", f + "(\"\")"));
    }
  }
}
