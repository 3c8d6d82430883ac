package dev.robustspec.engine.logic;

import java.util.ArrayList;
import java.util.List;

/** The atoms of one property, by id: formulas and DNF terms name atoms by their index here. */
public final class AtomTable {
  private final List<LinearAtom> atoms = new ArrayList<>();

  /** Adds {@code atom}; returns its id. */
  public int add(LinearAtom atom) {
    atoms.add(atom);
    return atoms.size() - 1;
  }

  public LinearAtom get(int id) {
    return atoms.get(id);
  }

  public int size() {
    return atoms.size();
  }

  /** The atoms in id order (a copy). */
  public List<LinearAtom> all() {
    return List.copyOf(atoms);
  }
}
