package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * MountainCar-v0 (Moore 1990, as in Gymnasium's {@code mountain_car.py}): accelerate left (0),
 * not at all (1) or right (2) to drive an underpowered car up to the flag at x = 0.5. Observation:
 * position, velocity. Reward −1 per step. {@link Envs#make} adds the 200-step limit.
 */
public final class MountainCar extends ClassicControlEnv<Integer> {
    public static final double MIN_POSITION = -1.2;
    public static final double MAX_POSITION = 0.6;
    public static final double MAX_SPEED = 0.07;
    public static final double GOAL_POSITION = 0.5;
    public static final double GOAL_VELOCITY = 0.0;
    public static final double FORCE = 0.001;
    public static final double GRAVITY = 0.0025;
    public static final int MAX_EPISODE_STEPS = 200;

    private static final Discrete ACTIONS = new Discrete(3);
    private static final Box OBSERVATIONS = new Box(new double[] {MIN_POSITION, -MAX_SPEED}, new double[] {MAX_POSITION, MAX_SPEED});

    private double position, velocity;

    @Override
    public String id() {
        return "MountainCar-v0";
    }

    @Override
    public Box observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Discrete actionSpace() {
        return ACTIONS;
    }

    @Override
    protected void resetState(Generator generator) {
        position = uniform(generator, -0.6, -0.4);
        velocity = 0;
    }

    public void setState(double position, double velocity) {
        this.position = position;
        this.velocity = velocity;
    }

    public double[] state() {
        return new double[] {position, velocity};
    }

    @Override
    protected double[] observation() {
        return float32(position, velocity);
    }

    @Override
    protected StepResult<double[]> advance(Integer action) {
        velocity += (action - 1) * FORCE + Math.cos(3 * position) * -GRAVITY;
        velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
        position += velocity;
        position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
        // The left wall is inelastic.
        if (position == MIN_POSITION && velocity < 0) velocity = 0;
        boolean terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
        return new StepResult<>(observation(), -1.0, terminated, false);
    }
}
