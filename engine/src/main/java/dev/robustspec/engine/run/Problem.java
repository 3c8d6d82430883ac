package dev.robustspec.engine.run;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.verify.Verifier;

/**
 * One verification problem as every front end hands it to the {@link EngineRunner}: the network,
 * what must hold of it, and the plan of steps that tries to decide it. Plain data.
 */
public record Problem(Network network, Specification specification, Verifier.Plan plan) {}
