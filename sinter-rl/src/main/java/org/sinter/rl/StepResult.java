package org.sinter.rl;

import java.util.Map;

/**
 * What {@link Env#step} returns (Gymnasium's five-tuple). {@code terminated}: the MDP reached a
 * terminal state, so the value of {@code observation} is zero; {@code truncated}: the episode was
 * cut off (time limit), so a learner should still bootstrap from {@code observation}.
 */
public record StepResult<O>(O observation, double reward, boolean terminated, boolean truncated, Map<String, Object> info) {
    public StepResult(O observation, double reward, boolean terminated, boolean truncated) {
        this(observation, reward, terminated, truncated, Map.of());
    }

    /** Whether the episode ended, either way. */
    public boolean done() {
        return terminated || truncated;
    }
}
