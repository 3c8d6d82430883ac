package dev.robustspec.engine.logic;

import java.util.List;

/**
 * A boolean formula over linear atoms (ids into an {@link AtomTable}): what an assert of a
 * VNN-LIB file or a {@code .rspec} property's formula is once its terms are linear.
 * {@code origin} is where the front end read the node (a line:column, a source range), handed
 * back in a {@link CaseLimitException} so the front end can say where the normal form blew up.
 */
public sealed interface Formula {

  Object origin();

  record Atom(int id, Object origin) implements Formula {}

  record Const(boolean value, Object origin) implements Formula {}

  record And(List<Formula> parts, Object origin) implements Formula {
    public And {
      parts = List.copyOf(parts);
    }
  }

  record Or(List<Formula> parts, Object origin) implements Formula {
    public Or {
      parts = List.copyOf(parts);
    }
  }

  record Not(Formula operand, Object origin) implements Formula {}
}
