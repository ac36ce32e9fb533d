package org.sinter.rl.dqn;

/**
 * The Rainbow components (Hessel et al. 2018) a DQN run may switch on beyond double DQN.
 *
 * @param dueling a {@link DuelingQNetwork} instead of a plain {@link QNetwork}
 * @param nStep bootstrap after this many steps ({@link NStepAccumulator}); 1 is plain one-step DQN
 * @param prioritized proportional prioritized replay ({@link PrioritizedReplayBuffer}) with importance weights
 * @param priorityAlpha α, how strongly priorities skew sampling (0: uniform)
 * @param priorityBeta0 β at the start; it anneals linearly to 1 over training
 * @param priorityEpsilon ε added to |δ| so that no transition's priority is zero
 */
public record DqnVariants(boolean dueling, int nStep, boolean prioritized, double priorityAlpha, double priorityBeta0, double priorityEpsilon) {
    /** Plain (double) DQN. */
    public static final DqnVariants NONE = new DqnVariants(false, 1, false, 0.6, 0.4, 1e-6);

    public DqnVariants {
        if (nStep <= 0) throw new IllegalArgumentException("DqnVariants: nStep must be positive, got " + nStep);
    }

    /** Dueling, 3-step returns and prioritized replay with Schaul et al.'s proportional α = 0.6, β₀ = 0.4. */
    public static DqnVariants rainbowLite() {
        return new DqnVariants(true, 3, true, 0.6, 0.4, 1e-6);
    }

    /**
     * Parses a comma-separated list of "dueling", "nstep" (3 steps) or "nstepN", "per"; "none" or the
     * empty string for plain DQN.
     */
    public static DqnVariants parse(String spec) {
        boolean dueling = false, per = false;
        int n = 1;
        for (String part : spec.split(",")) {
            String p = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (p.isEmpty() || p.equals("none")) continue;
            if (p.equals("dueling")) dueling = true;
            else if (p.equals("per")) per = true;
            else if (p.equals("nstep")) n = 3;
            else if (p.matches("nstep[0-9]+")) n = Integer.parseInt(p.substring(5));
            else throw new IllegalArgumentException("unknown DQN variant '" + part.trim() + "'; known: dueling, nstep (3 steps) or nstepN, per");
        }
        return new DqnVariants(dueling, n, per, NONE.priorityAlpha, NONE.priorityBeta0, NONE.priorityEpsilon);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (dueling) sb.append("dueling");
        if (nStep > 1) sb.append(sb.isEmpty() ? "" : ",").append("nstep").append(nStep);
        if (prioritized) sb.append(sb.isEmpty() ? "" : ",").append("per");
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
