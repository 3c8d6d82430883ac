/**
 * The language server: translates LSP requests into calls of the compiler's language service and
 * its plain-data answers back into LSP4J types. Only this module depends on LSP4J.
 */
package dev.robustspec.lsp;
