package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.spaces.Box;

/**
 * The car and hill shared by MountainCar-v0 and MountainCarContinuous-v0 (Moore 1990): the hill is
 * sin(3x), gravity pulls with −0.0025·cos(3x), speed is clipped to ±0.07, position to
 * [−1.2, 0.6], and the left wall is inelastic. The two environments differ only in how an action
 * becomes a push, in the goal and in the reward.
 */
public final class MountainCarDynamics {
    public static final double MIN_POSITION = -1.2;
    public static final double MAX_POSITION = 0.6;
    public static final double MAX_SPEED = 0.07;
    public static final double GRAVITY = 0.0025;
    static final Box OBSERVATIONS = new Box(new double[] {MIN_POSITION, -MAX_SPEED}, new double[] {MAX_POSITION, MAX_SPEED});

    private MountainCarDynamics() {}

    /** {position, velocity} one step after (position, velocity) with the action's {@code push} added to the velocity. */
    static double[] step(double position, double velocity, double push) {
        velocity += push + Math.cos(3 * position) * -GRAVITY;
        velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
        position += velocity;
        position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) velocity = 0;
        return new double[] {position, velocity};
    }

    /** An episode starts at rest at a position drawn from U(−0.6, −0.4). */
    static double startPosition(Generator generator) {
        return ClassicControlEnv.uniform(generator, -0.6, -0.4);
    }
}
