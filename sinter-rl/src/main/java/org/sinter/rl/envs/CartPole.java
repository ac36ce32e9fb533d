package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * CartPole-v1 (Barto, Sutton and Anderson 1983, as in Gymnasium's {@code cartpole.py}): push the
 * cart left (0) or right (1) with 10 N to keep the pole upright. Observation: cart position,
 * cart velocity, pole angle, pole angular velocity. Reward 1 every step, the terminating one
 * included. Terminates when |x| > 2.4 or |θ| > 12°; {@link Envs#makeDiscrete} adds the 500-step limit.
 * The equations of motion are Florian's corrected ones, integrated with explicit Euler steps of 0.02 s.
 */
public final class CartPole extends ClassicControlEnv<Integer> {
    public static final double GRAVITY = 9.8;
    public static final double MASS_CART = 1.0;
    public static final double MASS_POLE = 0.1;
    public static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    /** Half the pole's length. */
    public static final double LENGTH = 0.5;
    public static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    public static final double FORCE_MAG = 10.0;
    public static final double TAU = 0.02;
    public static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    public static final double X_THRESHOLD = 2.4;
    public static final int MAX_EPISODE_STEPS = 500;

    private static final Discrete ACTIONS = new Discrete(2);
    // Twice the thresholds, so a terminal observation still lies in the space (as in Gymnasium).
    private static final double F32_MAX = Float.MAX_VALUE;
    private static final Box OBSERVATIONS = new Box(
            new double[] {-X_THRESHOLD * 2, -F32_MAX, -THETA_THRESHOLD_RADIANS * 2, -F32_MAX},
            new double[] {X_THRESHOLD * 2, F32_MAX, THETA_THRESHOLD_RADIANS * 2, F32_MAX});

    private final double[] state = new double[4];

    public CartPole() {
        super("CartPole-v1", OBSERVATIONS, ACTIONS);
    }

    @Override
    protected void resetState(Generator generator) {
        for (int i = 0; i < 4; i++) state[i] = uniform(generator, -0.05, 0.05);
    }

    /** Sets the state (x, ẋ, θ, θ̇) directly, for tests and replays; the episode continues from it. */
    public void setState(double x, double xDot, double theta, double thetaDot) {
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;
    }

    /** The state in full double precision (observations are rounded to float32). */
    public double[] state() {
        return state.clone();
    }

    @Override
    protected double[] physicalState() {
        return state.clone();
    }

    @Override
    protected void restorePhysicalState(double[] saved) {
        System.arraycopy(saved, 0, state, 0, state.length);
    }

    @Override
    protected double[] observation() {
        return float32(state);
    }

    @Override
    protected StepResult<double[]> advance(Integer action) {
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
        double cosTheta = Math.cos(theta), sinTheta = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * cosTheta * cosTheta / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;
        // Explicit Euler: positions move with the old velocities.
        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        setState(x, xDot, theta, thetaDot);
        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        return new StepResult<>(observation(), 1.0, terminated, false);
    }
}
