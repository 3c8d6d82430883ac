package dev.robustspec.engine.io;

import java.util.List;

/**
 * Builds, with the engine's test helper {@link OnnxModelBuilder} (package-private, hence this
 * class in the engine's package), a tiny ONNX model that uses an operator the reader does not
 * support: MatMul followed by Softsign (Sigmoid was the example until issue 14 supported it).
 */
public final class UnsupportedOnnxFixture {
  private UnsupportedOnnxFixture() {}

  public static byte[] softsignModel() {
    return new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("W", new long[] {2, 2}, 1, 2, 3, 4)
        .node("MatMul", "mm", List.of("x", "W"), List.of("h"))
        .node("Softsign", "softsign", List.of("h"), List.of("y"))
        .output("y", 1, 2)
        .build();
  }
}
