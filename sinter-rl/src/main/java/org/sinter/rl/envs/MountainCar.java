package org.sinter.rl.envs;

import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Discrete;

/**
 * MountainCar-v0 (Moore 1990, as in Gymnasium's {@code mountain_car.py}): accelerate left (0),
 * not at all (1) or right (2) to drive an underpowered car up to the flag at x = 0.5. Observation:
 * position, velocity. Reward −1 per step. {@link Envs#makeDiscrete} adds the 200-step limit.
 */
public final class MountainCar extends MountainCarBase<Integer> {
    public static final double GOAL_POSITION = 0.5;
    public static final double GOAL_VELOCITY = 0.0;
    public static final double FORCE = 0.001;
    public static final int MAX_EPISODE_STEPS = 200;

    private static final Discrete ACTIONS = new Discrete(3);

    public MountainCar() {
        super("MountainCar-v0", ACTIONS);
    }

    @Override
    protected StepResult<double[]> advance(Integer action) {
        move((action - 1) * FORCE);
        boolean terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
        return new StepResult<>(observation(), -1.0, terminated, false);
    }
}
