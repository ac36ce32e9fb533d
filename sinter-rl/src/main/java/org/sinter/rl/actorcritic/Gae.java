package org.sinter.rl.actorcritic;

/**
 * Generalized advantage estimation (Schulman et al. 2016) over a rollout of T steps × N copies:
 * δₜ = rₜ + γ V(sₜ₊₁)(1 − doneₜ) − V(sₜ), Aₜ = δₜ + γλ(1 − doneₜ) Aₜ₊₁. {@code dones[t][i]} says the
 * episode ended at step t (its reward already includes any bootstrap of a truncated ending).
 */
public final class Gae {
    private Gae() {}

    /** Advantages [T][N]; {@code nextValues[i]} is V of the observation after the last step. */
    public static double[][] advantages(double[][] rewards, double[][] values, boolean[][] dones, double[] nextValues, double gamma, double lambda) {
        int steps = rewards.length, n = nextValues.length;
        double[][] adv = new double[steps][n];
        for (int i = 0; i < n; i++) {
            double last = 0;
            for (int t = steps - 1; t >= 0; t--) {
                double notDone = dones[t][i] ? 0 : 1;
                double next = t == steps - 1 ? nextValues[i] : values[t + 1][i];
                double delta = rewards[t][i] + gamma * next * notDone - values[t][i];
                last = delta + gamma * lambda * notDone * last;
                adv[t][i] = last;
            }
        }
        return adv;
    }
}
