package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;

/** A hover: Markdown text about the thing at {@code range}. */
public record HoverResult(String markdown, SourceRange range) {}
