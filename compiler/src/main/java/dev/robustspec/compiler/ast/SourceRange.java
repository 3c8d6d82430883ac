package dev.robustspec.compiler.ast;

/**
 * A span of source text: 1-based lines and columns (column counts characters), 0-based offsets,
 * end exclusive.
 */
public record SourceRange(int startLine, int startColumn, int endLine, int endColumn,
    int startOffset, int endOffset) {

  public static final SourceRange NONE = new SourceRange(1, 1, 1, 1, 0, 0);

  /** The smallest range covering both. */
  public SourceRange to(SourceRange end) {
    return new SourceRange(startLine, startColumn, end.endLine, end.endColumn, startOffset,
        end.endOffset);
  }

  public boolean contains(int offset) {
    return startOffset <= offset && offset <= endOffset;
  }
}
