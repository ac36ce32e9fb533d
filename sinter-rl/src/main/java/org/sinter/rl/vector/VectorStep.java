package org.sinter.rl.vector;

import java.util.List;

/**
 * One step of a vector environment. {@code observations.get(i)} is the next observation of copy i,
 * the first of a new episode where copy i's episode ended; {@code finalObservations.get(i)} is then
 * the ended episode's last observation (for bootstrapping a truncated episode), and null otherwise.
 */
public record VectorStep<O>(List<O> observations, double[] rewards, boolean[] terminated, boolean[] truncated, List<O> finalObservations) {
    public boolean done(int i) {
        return terminated[i] || truncated[i];
    }
}
