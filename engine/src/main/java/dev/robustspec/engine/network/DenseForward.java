package dev.robustspec.engine.network;

/**
 * The kernel of {@link DenseLayer#evaluate}: {@code W x + b}, each output summed in input order
 * from the bias. Up to {@link #COLUMN_COPY_LIMIT} weights it works by columns
 * ({@code out += x_j W[:, j]}, inputs of 0 skipped) over a copy of W made by columns, a loop that
 * vectorises, where a row's running sum waits on each add (73 % of relubab's samples on
 * MNIST-FC 256x4, JFR, issue 15). Bigger layers use the row loop. Both give the same doubles.
 */
final class DenseForward {
  /** Most weights a dense layer copies by columns (32 MB of doubles). */
  static final int COLUMN_COPY_LIMIT = 1 << 22;

  private final double[] weights;
  private final int inputSize;
  private final int outputSize;
  /** W's columns ({@code columns[j][i] = W[i][j]}); null above the limit. */
  private final double[][] columns;

  DenseForward(double[] weights, int inputSize, int outputSize) {
    this.weights = weights;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    if (weights.length <= COLUMN_COPY_LIMIT) {
      columns = new double[inputSize][outputSize];
      for (int i = 0; i < outputSize; i++) {
        for (int j = 0; j < inputSize; j++) {
          columns[j][i] = weights[i * inputSize + j];
        }
      }
    } else {
      columns = null;
    }
  }

  double[] evaluate(double[] bias, double[] input) {
    if (columns == null) {
      return evaluateByRows(bias, input);
    }
    double[][] cols = columns;
    double[] out = bias.clone();
    int n = outputSize;
    for (int j = 0; j < inputSize; j++) {
      double x = input[j];
      if (x == 0) {
        continue;
      }
      double[] c = cols[j];
      for (int i = 0; i < n; i++) {
        out[i] += c[i] * x;
      }
    }
    return out;
  }

  /**
   * {@link #evaluate} of every row of {@code inputs}, bit for bit (each row summed in the same
   * order), with each column of W loaded once for all the rows: the β-CROWN sweep of a part
   * bounding several cases' constraints is then one pass over W, not one per row.
   */
  double[][] evaluateRows(double[] bias, double[][] inputs) {
    if (columns == null || inputs.length == 1) {
      double[][] out = new double[inputs.length][];
      for (int r = 0; r < inputs.length; r++) {
        out[r] = evaluate(bias, inputs[r]);
      }
      return out;
    }
    int rows = inputs.length;
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = bias.clone();
    }
    int n = outputSize;
    for (int j = 0; j < inputSize; j++) {
      double[] c = columns[j];
      for (int r = 0; r < rows; r++) {
        double x = inputs[r][j];
        if (x == 0) {
          continue;
        }
        double[] o = out[r];
        for (int i = 0; i < n; i++) {
          o[i] += c[i] * x;
        }
      }
    }
    return out;
  }

  private double[] evaluateByRows(double[] bias, double[] input) {
    double[] out = new double[outputSize];
    for (int i = 0; i < outputSize; i++) {
      double s = bias[i];
      int off = i * inputSize;
      for (int j = 0; j < inputSize; j++) {
        s += weights[off + j] * input[j];
      }
      out[i] = s;
    }
    return out;
  }
}
