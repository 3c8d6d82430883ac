package dev.robustspec.cli;

import java.io.Serializable;

/**
 * One unit of work a command runs, the same locally and on a cluster: a data item at one
 * epsilon (or its radius search), one VNN-COMP instance, one property of a .rspec file. Items
 * are plain serialisable values: everything the run needs travels with them except the
 * networks, which the {@link NetworkSource} of the place where it runs provides (read once per
 * process there).
 */
public interface WorkItem extends Serializable {
  /** Unique within its job; the results table's key (index,eps for certify). */
  String key();

  /** Runs the item; an input problem is an error result, never an exception. */
  WorkResult run(NetworkSource networks);

  /** The result of an item that could not run (an exception, a lost machine, each retry). */
  WorkResult failed(String message, double seconds);
}
