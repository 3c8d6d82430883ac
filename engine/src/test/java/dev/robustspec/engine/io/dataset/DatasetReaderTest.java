package dev.robustspec.engine.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.io.InputFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
  @TempDir Path dir;

  private static final Path MNIST = dev.robustspec.engine.TestData.repositoryRoot().resolve("../shared/datasets/mnist_test.csv");
  private static final Path CIFAR = dev.robustspec.engine.TestData.repositoryRoot()
      .resolve("../shared/datasets/cifar10_test.csv");

  private Dataset read(Path data, Path labels, RowRange rows) throws InputFormatException {
    return DatasetReader.read(new DatasetReader.Request(data, labels, null, rows));
  }

  private Path text(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void csvLabelThenValuesWithHeaderAndRowRange() throws Exception {
    Path f = text("d.csv", "label,a,b,c\n3,0,128,255\n\n1,1.5,2,-3\n9,7,8,9\n");
    Dataset d = read(f, null, new RowRange(1, 2));
    assertArrayEquals(new int[] {3}, d.itemShape());
    assertEquals(2, d.items().size());
    assertEquals(1, d.items().get(0).index());
    assertEquals(1, d.items().get(0).label());
    assertArrayEquals(new double[] {1.5, 2, -3}, d.items().get(0).values());
    assertEquals(2, d.items().get(1).index());
    assertEquals(9, d.items().get(1).label());
    assertEquals(3, read(f, null, RowRange.ALL).items().size());
  }

  @Test
  void csvErrorsNameFileLineColumnAndProblem() throws Exception {
    InputFormatException bad = assertThrows(InputFormatException.class,
        () -> read(text("v.csv", "1,2,3\n2,4,x5\n"), null, RowRange.ALL));
    assertEquals(2, bad.line());
    assertEquals(5, bad.column());
    assertTrue(bad.getMessage().contains("v.csv:2:5: value 1: 'x5' is not a finite number"),
        bad.getMessage());
    InputFormatException ragged = assertThrows(InputFormatException.class,
        () -> read(text("r.csv", "1,2,3\n2,4\n"), null, RowRange.ALL));
    assertTrue(ragged.getMessage().contains("r.csv:2: row 1 has 1 values but the first row has 2"),
        ragged.getMessage());
    InputFormatException label = assertThrows(InputFormatException.class,
        () -> read(text("l.csv", "1.5,2,3\n"), null, RowRange.ALL));
    assertTrue(label.getMessage().contains("label 1.5 is not a whole number"), label.getMessage());
    InputFormatException nan = assertThrows(InputFormatException.class,
        () -> read(text("n.csv", "1,NaN,3\n"), null, RowRange.ALL));
    assertTrue(nan.getMessage().contains("n.csv:1:3"), nan.getMessage());
    InputFormatException rows = assertThrows(InputFormatException.class,
        () -> read(text("s.csv", "1,2\n3,4\n"), null, new RowRange(0, 5)));
    assertTrue(rows.getMessage().contains("the file has rows 0..1"), rows.getMessage());
    InputFormatException none = assertThrows(InputFormatException.class,
        () -> read(dir.resolve("missing.csv"), null, RowRange.ALL));
    assertTrue(none.getMessage().endsWith("missing.csv: no such file"), none.getMessage());
    InputFormatException format = assertThrows(InputFormatException.class,
        () -> read(text("x.txt", "1,2\n"), null, RowRange.ALL));
    assertTrue(format.getMessage().contains("unknown data-set format"), format.getMessage());
  }

  @Test
  void shippedMnistAndCifar() throws Exception {
    Dataset mnist = read(MNIST, null, RowRange.ALL);
    assertEquals(100, mnist.items().size());
    assertEquals(784, mnist.itemSize());
    Dataset cifar = read(CIFAR, null, RowRange.parse("10..19"));
    assertEquals(10, cifar.items().size());
    assertEquals(3072, cifar.itemSize());
    assertEquals(10, cifar.items().get(0).index());
    for (Dataset d : List.of(mnist, cifar)) {
      for (Dataset.Item item : d.items()) {
        assertTrue(item.label() >= 0 && item.label() <= 9);
        for (double v : item.values()) {
          assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "pixel " + v);
        }
      }
    }
    // the same first line as the file, read independently
    String first = Files.readAllLines(MNIST).get(0);
    String[] f = first.split(",");
    assertEquals(Integer.parseInt(f[0]), mnist.items().get(0).label());
    assertEquals(Double.parseDouble(f[400]), mnist.items().get(0).values()[399]);
  }

  @Test
  void npyFloat32Float64Uint8AnyByteOrderAndKeyOrder() throws Exception {
    double[] values = {0, 1.5, -2, 255, 3.25, 7};
    for (String descr : List.of("<f4", ">f4", "<f8", ">f8", "|u1")) {
      double[] v = descr.equals("|u1") ? new double[] {0, 1, 2, 255, 3, 7} : values;
      Path images = npy("x" + descr.charAt(1) + descr.charAt(0) + ".npy", descr,
          "{'shape': (3, 2), 'fortran_order': False, 'descr': '" + descr + "'}", v, 1);
      Path labels = npy("y.npy", "<i8", "{'descr': '<i8', 'fortran_order': False, "
          + "'shape': (3,), }", new double[] {4, 0, 9}, 1);
      Dataset d = read(images, labels, RowRange.ALL);
      assertArrayEquals(new int[] {2}, d.itemShape());
      assertEquals(3, d.items().size());
      assertArrayEquals(new double[] {v[2], v[3]}, d.items().get(1).values(), descr);
      assertEquals(9, d.items().get(2).label());
    }
    // version 2 header, a text labels file, a 3-D image array
    Path images = npy("img.npy", "<f8", "{'descr':'<f8','fortran_order':False,'shape':(2,1,3)}",
        values, 2);
    Path labels = text("labels.txt", "5\n6\n");
    Dataset d = read(images, labels, RowRange.parse("1"));
    assertArrayEquals(new int[] {1, 3}, d.itemShape());
    assertEquals(1, d.items().size());
    assertEquals(6, d.items().get(0).label());
    assertArrayEquals(new double[] {255, 3.25, 7}, d.items().get(0).values());
  }

  @Test
  void npyErrorsSayWhatIsWrong() throws Exception {
    Path labels = text("l.txt", "1\n2\n");
    double[] v = {1, 2, 3, 4};
    assertMessage(npy("a.npy", "<f4", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2)}",
        v, 1), labels, "Fortran order");
    assertMessage(npy("b.npy", "<c8", "{'descr': '<c8', 'fortran_order': False, 'shape': (2, 1)}",
        new double[0], 1), labels, "dtype '<c8' is not supported");
    assertMessage(npy("c.npy", "<f4", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}",
        v, 1), labels, "needs 24 data bytes but the file has 16");
    assertMessage(npy("d.npy", "<f4", "{'descr': '<f4' 'fortran_order': False}", v, 1), labels,
        "expected ',' or '}'");
    assertMessage(text("e.npy", "not numpy"), labels, "byte 0: not a .npy file");
    assertMessage(npy("f.npy", "<f4", "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1)}",
        new double[] {1, 2, 3}, 1), labels, "has 2 labels but");
    InputFormatException noLabels = assertThrows(InputFormatException.class,
        () -> read(dir.resolve("f.npy"), null, RowRange.ALL));
    assertTrue(noLabels.getMessage().contains("give it with --labels"), noLabels.getMessage());
  }

  @Test
  void npyWriterRoundTrips() throws Exception {
    double[] v = {0.1, -2, 3e-9, 4, 5, 6};
    Path p = dir.resolve("w.npy");
    NpyWriter.write(p, new int[] {2, 3}, v);
    NumericArray a = NpyReader.read(p);
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(v, a.values());
    assertEquals(0, (Files.size(p) - 8 * v.length) % 64, "header padded to 64 bytes");
    NpyWriter.write(p, new int[] {6}, v);
    assertArrayEquals(new int[] {6}, NpyReader.read(p).shape());
  }

  @Test
  void idxImagesAndLabelsMatchTheShippedCsv() throws Exception {
    Dataset csv = read(MNIST, null, RowRange.ALL);
    int n = csv.items().size();
    ByteBuffer img = ByteBuffer.allocate(16 + n * 784).order(ByteOrder.BIG_ENDIAN);
    img.putInt(0x00000803).putInt(n).putInt(28).putInt(28);
    ByteBuffer lab = ByteBuffer.allocate(8 + n).order(ByteOrder.BIG_ENDIAN);
    lab.putInt(0x00000801).putInt(n);
    for (Dataset.Item item : csv.items()) {
      for (double v : item.values()) {
        img.put((byte) (int) v);
      }
      lab.put((byte) item.label());
    }
    Path images = dir.resolve("t10k-images-idx3-ubyte");
    Path labels = dir.resolve("t10k-labels-idx1-ubyte");
    Files.write(images, img.array());
    Files.write(labels, lab.array());
    Dataset idx = read(images, labels, RowRange.parse("0..99"));
    assertArrayEquals(new int[] {28, 28}, idx.itemShape());
    for (int i = 0; i < n; i++) {
      assertEquals(csv.items().get(i).label(), idx.items().get(i).label());
      assertArrayEquals(csv.items().get(i).values(), idx.items().get(i).values());
    }
    Files.write(dir.resolve("short-idx3-ubyte"), java.util.Arrays.copyOf(img.array(), 100));
    assertMessage(dir.resolve("short-idx3-ubyte"), labels, "byte 16: the dimensions [100, 28,"
        + " 28] need 78400 data bytes but the file has 84");
    Files.write(dir.resolve("bad-idx3-ubyte"), new byte[] {0, 0, 0x07, 1, 0, 0, 0, 0});
    assertMessage(dir.resolve("bad-idx3-ubyte"), labels, "byte 2: unknown IDX type 0x07");
    assertMessage(labels, images, "is it the labels file?");
  }

  private void assertMessage(Path data, Path labels, String expected) {
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> read(data, labels, RowRange.ALL));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(data.getFileName().toString())
        || e.getMessage().contains(labels.getFileName().toString()), e.getMessage());
  }

  /** A .npy written by hand, byte by byte as the format's specification lays it out. */
  private Path npy(String name, String descr, String dict, double[] values, int version)
      throws IOException {
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int size = descr.equals("|u1") ? 1 : Integer.parseInt(descr.substring(2));
    int pre = version == 1 ? 10 : 12;
    int total = ((pre + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(total - pre - dict.length() - 1) + "\n";
    ByteBuffer b = ByteBuffer.allocate(total + size * values.length);
    b.order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version)
        .put((byte) 0);
    if (version == 1) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.order(order);
    for (double v : values) {
      switch (descr.substring(1)) {
        case "f4" -> b.putFloat((float) v);
        case "f8" -> b.putDouble(v);
        case "u1" -> b.put((byte) (int) v);
        case "i8" -> b.putLong((long) v);
        default -> b.putFloat((float) v);
      }
    }
    Path p = dir.resolve(name);
    Files.write(p, b.array());
    return p;
  }
}
