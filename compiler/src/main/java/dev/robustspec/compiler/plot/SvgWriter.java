package dev.robustspec.compiler.plot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal SVG writer: elements with escaped attributes and text, numbers written compactly
 * (at most two decimals, no trailing zeros: a plot of thousands of dots stays small). Elements
 * are opened and closed explicitly; {@link #finish()} checks that every element was closed.
 */
final class SvgWriter {
  private final StringBuilder out = new StringBuilder();
  private final Deque<String> open = new ArrayDeque<>();

  /** Starts a document of the given size in pixels. */
  SvgWriter(double width, double height) {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    start("svg", "xmlns", "http://www.w3.org/2000/svg", "width", width, "height", height,
        "viewBox", "0 0 " + num(width) + " " + num(height), "font-family",
        "Helvetica, Arial, sans-serif", "font-size", 12);
  }

  /**
   * Opens an element. {@code attributes} alternate name and value; a {@link Number} value is
   * written with {@link #num}, anything else escaped as text; a null value skips the attribute.
   */
  SvgWriter start(String tag, Object... attributes) {
    tag(tag, attributes);
    out.append(">\n");
    open.push(tag);
    return this;
  }

  /** Closes the innermost open element, which must be {@code tag}. */
  SvgWriter end(String tag) {
    String top = open.pop();
    if (!top.equals(tag)) {
      throw new IllegalStateException("closing <" + tag + "> while <" + top + "> is open");
    }
    out.append("</").append(tag).append(">\n");
    return this;
  }

  /** An element without content. */
  SvgWriter empty(String tag, Object... attributes) {
    tag(tag, attributes);
    out.append("/>\n");
    return this;
  }

  /** An element whose content is escaped text (a {@code <text>}, a {@code <title>}). */
  SvgWriter text(String tag, String content, Object... attributes) {
    tag(tag, attributes);
    out.append('>').append(escape(content)).append("</").append(tag).append(">\n");
    return this;
  }

  /** The document; every element must have been closed but the root. */
  String finish() {
    end("svg");
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements: " + open);
    }
    return out.toString();
  }

  private void tag(String tag, Object[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes must come in name/value pairs");
    }
    out.append('<').append(tag);
    for (int a = 0; a < attributes.length; a += 2) {
      Object value = attributes[a + 1];
      if (value == null) {
        continue;
      }
      String text = value instanceof Number n ? num(n.doubleValue()) : escape(value.toString());
      out.append(' ').append(attributes[a]).append("=\"").append(text).append('"');
    }
  }

  /** {@code v} with at most two decimals and no trailing zeros: 12, 12.5, -0.25, 0. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a finite number: " + v);
    }
    String s = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** Escapes the characters XML gives a meaning to, in text and in attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          // control characters are not allowed in XML 1.0 at all
          if (c < 0x20 && c != '\n' && c != '\t') {
            sb.append(' ');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
