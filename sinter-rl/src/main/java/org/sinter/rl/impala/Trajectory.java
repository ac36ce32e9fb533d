package org.sinter.rl.impala;

import java.util.List;

/**
 * What an actor sends the learner: T steps of one environment copy under the policy snapshot of
 * {@code policyVersion}. {@code observations} holds T + 1 rows (the last one is where the next
 * trajectory starts, for the bootstrap); {@code dones[t]} says the episode ended at step t (the
 * observation after it already starts the next episode); a truncated step's reward already includes
 * γ·V(final observation) under the actor's snapshot; {@code finishedReturns} are the returns of the
 * episodes that ended inside it.
 */
record Trajectory(float[] observations, long[] actions, double[] behaviourLogProbs, double[] rewards, boolean[] dones, long policyVersion,
                  List<Double> finishedReturns, int actor) {}
