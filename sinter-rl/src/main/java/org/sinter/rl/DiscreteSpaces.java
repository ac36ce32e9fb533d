package org.sinter.rl;

import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/** The sizes a discrete-action learner builds its networks from: a Box observation of {@code observationSize}, {@code numActions} actions. */
public record DiscreteSpaces(int observationSize, int numActions) {
    /** {@code env}'s sizes, or an error naming {@code algorithm} and the spaces {@code env} has. */
    public static DiscreteSpaces of(String algorithm, Env<?, ?> env) {
        if (!(env.observationSpace() instanceof Box box) || !(env.actionSpace() instanceof Discrete actions)) {
            throw new IllegalArgumentException(algorithm + ": " + env.id() + " needs a Box observation space and a Discrete action space, has "
                    + env.observationSpace() + " and " + env.actionSpace());
        }
        return new DiscreteSpaces(box.size(), actions.n());
    }
}
