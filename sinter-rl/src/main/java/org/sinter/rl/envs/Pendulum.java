package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;

/**
 * Pendulum-v1 (Gymnasium's {@code pendulum.py}): swing a pendulum up with a torque in [−2, 2].
 * Observation: cos θ, sin θ, θ̇. Reward −(θ² + 0.1·θ̇² + 0.001·u²) with θ normalized to [−π, π),
 * computed on the state before the step. Never terminates; {@link Envs#makeContinuous} adds the 200-step limit.
 */
public final class Pendulum extends ClassicControlEnv<double[]> {
    public static final double MAX_SPEED = 8;
    public static final double MAX_TORQUE = 2.0;
    public static final double DT = 0.05;
    public static final double GRAVITY = 10.0;
    public static final double MASS = 1.0;
    public static final double LENGTH = 1.0;
    public static final int MAX_EPISODE_STEPS = 200;

    private static final Box ACTIONS = Box.of(-MAX_TORQUE, MAX_TORQUE, 1);
    private static final Box OBSERVATIONS = new Box(new double[] {-1, -1, -MAX_SPEED}, new double[] {1, 1, MAX_SPEED});

    private double theta, thetaDot;

    public Pendulum() {
        super("Pendulum-v1", OBSERVATIONS, ACTIONS);
    }

    /** Any finite one-element action: Gymnasium clips it into the box rather than refusing it. */
    @Override
    protected boolean accepts(double[] action) {
        return action != null && action.length == 1 && Double.isFinite(action[0]);
    }

    @Override
    protected void resetState(Generator generator) {
        theta = uniform(generator, -Math.PI, Math.PI);
        thetaDot = uniform(generator, -1, 1);
    }

    public void setState(double theta, double thetaDot) {
        this.theta = theta;
        this.thetaDot = thetaDot;
    }

    public double[] state() {
        return new double[] {theta, thetaDot};
    }

    @Override
    protected double[] physicalState() {
        return new double[] {theta, thetaDot};
    }

    @Override
    protected void restorePhysicalState(double[] saved) {
        theta = saved[0];
        thetaDot = saved[1];
    }

    @Override
    protected double[] observation() {
        return float32(Math.cos(theta), Math.sin(theta), thetaDot);
    }

    @Override
    protected StepResult<double[]> advance(double[] action) {
        double u = Math.min(Math.max(action[0], -MAX_TORQUE), MAX_TORQUE);
        double normalized = angleNormalize(theta);
        double cost = normalized * normalized + 0.1 * thetaDot * thetaDot + 0.001 * u * u;
        double newThetaDot = thetaDot + (3 * GRAVITY / (2 * LENGTH) * Math.sin(theta) + 3.0 / (MASS * LENGTH * LENGTH) * u) * DT;
        newThetaDot = Math.min(Math.max(newThetaDot, -MAX_SPEED), MAX_SPEED);
        theta = theta + newThetaDot * DT;
        thetaDot = newThetaDot;
        return new StepResult<>(observation(), -cost, false, false);
    }

    /** {@code ((x + π) mod 2π) − π} with Python's non-negative modulo. */
    static double angleNormalize(double x) {
        double twoPi = 2 * Math.PI;
        double m = (x + Math.PI) % twoPi;
        if (m < 0) m += twoPi;
        return m - Math.PI;
    }
}
