package dev.robustspec.compiler.check;

/** The value of a constant expression. */
sealed interface Value {

  /** What the value is, for messages: "a number", "a vector of 5 numbers", ... */
  String describe();

  record Num(double value) implements Value {
    @Override
    public String describe() {
      return "a number";
    }
  }

  record Vec(double[] values) implements Value {
    @Override
    public String describe() {
      return "a vector of " + values.length + " numbers";
    }
  }

  record Mat(double[][] rows) implements Value {
    @Override
    public String describe() {
      return "a " + rows.length + "x" + (rows.length == 0 ? 0 : rows[0].length) + " matrix";
    }
  }

  record Dur(double seconds) implements Value {
    @Override
    public String describe() {
      return "a duration";
    }
  }
}
