package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Space;

/**
 * The car and hill shared by MountainCar-v0 and MountainCarContinuous-v0 (Moore 1990): the hill is
 * sin(3x), gravity pulls with −0.0025·cos(3x), speed is clipped to ±0.07, position to
 * [−1.2, 0.6], the left wall is inelastic, and an episode starts at rest at x ~ U(−0.6, −0.4).
 * The two environments differ only in how an action becomes a push, in the goal and in the reward.
 */
public abstract class MountainCarBase<A> extends ClassicControlEnv<A> {
    public static final double MIN_POSITION = -1.2;
    public static final double MAX_POSITION = 0.6;
    public static final double MAX_SPEED = 0.07;
    public static final double GRAVITY = 0.0025;
    private static final Box OBSERVATIONS = new Box(new double[] {MIN_POSITION, -MAX_SPEED}, new double[] {MAX_POSITION, MAX_SPEED});

    protected double position, velocity;

    protected MountainCarBase(String id, Space<A> actionSpace) {
        super(id, OBSERVATIONS, actionSpace);
    }

    @Override
    protected final void resetState(Generator generator) {
        position = uniform(generator, -0.6, -0.4);
        velocity = 0;
    }

    @Override
    protected final double[] physicalState() {
        return new double[] {position, velocity};
    }

    @Override
    protected final void restorePhysicalState(double[] saved) {
        position = saved[0];
        velocity = saved[1];
    }

    public final void setState(double position, double velocity) {
        this.position = position;
        this.velocity = velocity;
    }

    public final double[] state() {
        return new double[] {position, velocity};
    }

    @Override
    protected final double[] observation() {
        return float32(position, velocity);
    }

    /** One step of the car with the action's {@code push} added to the velocity. */
    protected final void move(double push) {
        velocity += push + Math.cos(3 * position) * -GRAVITY;
        velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
        position += velocity;
        position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) velocity = 0;
    }
}
