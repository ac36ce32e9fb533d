package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * Acrobot-v1 (Sutton and Barto's book dynamics, as in Gymnasium's {@code acrobot.py}): a two-link
 * pendulum actuated at the elbow with torque −1, 0 or +1 (actions 0, 1, 2). Observation: cos θ₁,
 * sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂. Reward −1 per step and 0 on the step that reaches the goal
 * (the free end above the bar: −cos θ₁ − cos(θ₁ + θ₂) > 1). One step is one RK4 step of 0.2 s;
 * angles are then wrapped to [−π, π] and velocities clipped to ±4π and ±9π. {@link Envs#makeDiscrete} adds
 * the 500-step limit.
 */
public final class Acrobot extends ClassicControlEnv<Integer> {
    public static final double DT = 0.2;
    public static final double LINK_LENGTH_1 = 1.0;
    public static final double LINK_MASS_1 = 1.0;
    public static final double LINK_MASS_2 = 1.0;
    public static final double LINK_COM_POS_1 = 0.5;
    public static final double LINK_COM_POS_2 = 0.5;
    public static final double LINK_MOI = 1.0;
    public static final double MAX_VEL_1 = 4 * Math.PI;
    public static final double MAX_VEL_2 = 9 * Math.PI;
    public static final double[] AVAIL_TORQUE = {-1.0, 0.0, 1.0};
    public static final double GRAVITY = 9.8;
    public static final int MAX_EPISODE_STEPS = 500;

    private static final Discrete ACTIONS = new Discrete(3);
    private static final Box OBSERVATIONS = new Box(
            new double[] {-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2},
            new double[] {1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2});

    private final double[] state = new double[4];

    public Acrobot() {
        super("Acrobot-v1", OBSERVATIONS, ACTIONS);
    }

    @Override
    protected void resetState(Generator generator) {
        for (int i = 0; i < 4; i++) state[i] = uniform(generator, -0.1, 0.1);
    }

    /** Sets the state (θ₁, θ₂, θ̇₁, θ̇₂) directly, for tests and replays. */
    public void setState(double theta1, double theta2, double dtheta1, double dtheta2) {
        state[0] = theta1;
        state[1] = theta2;
        state[2] = dtheta1;
        state[3] = dtheta2;
    }

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
        return float32(Math.cos(state[0]), Math.sin(state[0]), Math.cos(state[1]), Math.sin(state[1]), state[2], state[3]);
    }

    @Override
    protected StepResult<double[]> advance(Integer action) {
        double torque = AVAIL_TORQUE[action];
        double[] next = rk4(state, torque, DT);
        state[0] = wrap(next[0], -Math.PI, Math.PI);
        state[1] = wrap(next[1], -Math.PI, Math.PI);
        state[2] = Math.min(Math.max(next[2], -MAX_VEL_1), MAX_VEL_1);
        state[3] = Math.min(Math.max(next[3], -MAX_VEL_2), MAX_VEL_2);
        boolean terminated = -Math.cos(state[0]) - Math.cos(state[1] + state[0]) > 1.0;
        return new StepResult<>(observation(), terminated ? 0.0 : -1.0, terminated, false);
    }

    /** One classical Runge–Kutta step of length {@code dt} with the torque held constant. */
    static double[] rk4(double[] s, double torque, double dt) {
        double half = dt / 2;
        double[] k1 = derivatives(s, torque);
        double[] k2 = derivatives(axpy(s, half, k1), torque);
        double[] k3 = derivatives(axpy(s, half, k2), torque);
        double[] k4 = derivatives(axpy(s, dt, k3), torque);
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) out[i] = s[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        return out;
    }

    private static double[] axpy(double[] s, double a, double[] k) {
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) out[i] = s[i] + a * k[i];
        return out;
    }

    /** The book's equations of motion: (θ̇₁, θ̇₂, θ̈₁, θ̈₂) for state s and elbow torque a. */
    static double[] derivatives(double[] s, double a) {
        double m1 = LINK_MASS_1, m2 = LINK_MASS_2, l1 = LINK_LENGTH_1;
        double lc1 = LINK_COM_POS_1, lc2 = LINK_COM_POS_2, i1 = LINK_MOI, i2 = LINK_MOI, g = GRAVITY;
        double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
        double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * Math.sin(theta2)
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
                + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2) + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * Math.sin(theta2) - phi2)
                / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        return new double[] {dtheta1, dtheta2, ddtheta1, ddtheta2};
    }

    /** Gymnasium's {@code wrap}: shifts x by multiples of (high − low) into [low, high]. */
    static double wrap(double x, double low, double high) {
        double diff = high - low;
        while (x > high) x -= diff;
        while (x < low) x += diff;
        return x;
    }
}
