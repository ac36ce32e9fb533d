package org.sinter.rl.envs;

import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;

/**
 * MountainCarContinuous-v0 (Gymnasium's {@code continuous_mountain_car.py}): the action is a force
 * in [−1, 1] (scaled by 0.0015). Reward +100 on reaching x ≥ 0.45 minus 0.1·a² every step (the
 * action as given, before clipping, as in Gymnasium). {@link Envs#makeContinuous} adds the 999-step limit.
 */
public final class ContinuousMountainCar extends MountainCarBase<double[]> {
    public static final double MIN_ACTION = -1.0;
    public static final double MAX_ACTION = 1.0;
    public static final double GOAL_POSITION = 0.45;
    public static final double GOAL_VELOCITY = 0.0;
    public static final double POWER = 0.0015;
    public static final int MAX_EPISODE_STEPS = 999;

    private static final Box ACTIONS = Box.of(MIN_ACTION, MAX_ACTION, 1);

    public ContinuousMountainCar() {
        super("MountainCarContinuous-v0", ACTIONS);
    }

    /** Any finite one-element action: Gymnasium clips it into the box rather than refusing it. */
    @Override
    protected boolean accepts(double[] action) {
        return action != null && action.length == 1 && Double.isFinite(action[0]);
    }

    @Override
    protected StepResult<double[]> advance(double[] action) {
        double force = Math.min(Math.max(action[0], MIN_ACTION), MAX_ACTION);
        move(force * POWER);
        boolean terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
        double reward = (terminated ? 100.0 : 0.0) - action[0] * action[0] * 0.1;
        return new StepResult<>(observation(), reward, terminated, false);
    }
}
