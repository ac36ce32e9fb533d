package org.sinter.rl.impala;

/**
 * V-trace off-policy targets (Espeholt et al. 2018, IMPALA, section 4.1) for trajectories that a
 * behaviour policy μ generated and a target policy π learns from, time-major [T][N]:
 * ρ_t = min(ρ̄, π/μ), c_t = λ·min(c̄, π/μ), δ_t = ρ_t (r_t + γ_t V(x_{t+1}) − V(x_t)),
 * v_t = V(x_t) + δ_t + γ_t c_t (v_{t+1} − V(x_{t+1})), and the policy-gradient advantage
 * min(ρ̄_pg, π/μ)(r_t + γ_t v_{t+1} − V(x_t)), with v_T = V(x_T) the bootstrap. γ_t is the discount
 * of step t (0 where the episode ended). On-policy (π = μ, ρ̄ = c̄ = λ = 1) v_t is the n-step return.
 */
public final class VTrace {
    /** The value targets v_t and the policy-gradient advantages, [T][N]. */
    public record Result(double[][] vs, double[][] pgAdvantages) {}

    private VTrace() {}

    /**
     * @param logRhos log π(a_t|x_t) − log μ(a_t|x_t)
     * @param discounts γ_t (γ, or 0 after a terminal step)
     * @param rewards r_t
     * @param values V(x_t) under the current value function
     * @param bootstrap V(x_T) per trajectory
     * @param rhoBar ρ̄, the truncation of the importance weights in δ (IMPALA: 1)
     * @param cBar c̄, the truncation of the trace coefficients (IMPALA: 1)
     * @param pgRhoBar the truncation of the importance weights in the policy gradient (IMPALA: 1)
     * @param lambda λ, mixing towards one-step targets (1: full traces)
     */
    public static Result compute(double[][] logRhos, double[][] discounts, double[][] rewards, double[][] values, double[] bootstrap,
                                 double rhoBar, double cBar, double pgRhoBar, double lambda) {
        int steps = logRhos.length, n = bootstrap.length;
        check(logRhos, steps, n, "logRhos");
        check(discounts, steps, n, "discounts");
        check(rewards, steps, n, "rewards");
        check(values, steps, n, "values");
        double[][] vs = new double[steps][n], adv = new double[steps][n];
        for (int i = 0; i < n; i++) {
            double acc = 0; // v_{t+1} − V(x_{t+1})
            for (int t = steps - 1; t >= 0; t--) {
                double rho = Math.exp(logRhos[t][i]);
                double nextValue = t == steps - 1 ? bootstrap[i] : values[t + 1][i];
                double delta = Math.min(rhoBar, rho) * (rewards[t][i] + discounts[t][i] * nextValue - values[t][i]);
                acc = delta + discounts[t][i] * lambda * Math.min(cBar, rho) * acc;
                vs[t][i] = values[t][i] + acc;
            }
            for (int t = 0; t < steps; t++) {
                double nextVs = t == steps - 1 ? bootstrap[i] : vs[t + 1][i];
                adv[t][i] = Math.min(pgRhoBar, Math.exp(logRhos[t][i])) * (rewards[t][i] + discounts[t][i] * nextVs - values[t][i]);
            }
        }
        return new Result(vs, adv);
    }

    private static void check(double[][] a, int steps, int n, String name) {
        if (a.length != steps) throw new IllegalArgumentException("VTrace: " + name + " has " + a.length + " steps, expected " + steps);
        for (double[] row : a) {
            if (row.length != n) throw new IllegalArgumentException("VTrace: " + name + " rows have " + row.length + " trajectories, expected " + n);
        }
    }
}
