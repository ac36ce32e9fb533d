package org.sinter.compress.prune;

/**
 * Automated gradual pruning (Zhu and Gupta, "To prune, or not to prune", 2017): the target sparsity
 * rises from {@code initial} to {@code fin} along a cubic between {@code beginStep} and
 * {@code endStep}, pruning every {@code frequency} steps,
 * {@code s_t = s_f + (s_i - s_f) (1 - (t - t_0) / (n Δt))^3}: fast while many weights are
 * redundant, slowly near the end so that training can recover.
 */
public record AgpSchedule(double initial, double fin, int beginStep, int endStep, int frequency) {
    public AgpSchedule {
        if (!(initial >= 0 && initial <= fin && fin < 1)) {
            throw new IllegalArgumentException("AGP schedule: need 0 <= initial <= final < 1, got initial=" + initial + " final=" + fin);
        }
        if (beginStep < 0 || endStep < beginStep) {
            throw new IllegalArgumentException("AGP schedule: need 0 <= beginStep <= endStep, got " + beginStep + ".." + endStep);
        }
        if (frequency < 1) throw new IllegalArgumentException("AGP schedule: frequency must be >= 1, got " + frequency);
    }

    /** Whether the pruner acts at {@code step}: every {@code frequency} steps from begin, and at the end. */
    public boolean isPruningStep(int step) {
        if (step < beginStep || step > endStep) return false;
        return (step - beginStep) % frequency == 0 || step == endStep;
    }

    /** The target sparsity at {@code step}: 0 before begin, the cubic in between, {@code fin} from the end on. */
    public double sparsityAt(int step) {
        if (step < beginStep) return 0;
        if (step >= endStep || endStep == beginStep) return fin;
        double progress = (step - beginStep) / (double) (endStep - beginStep);
        double remaining = 1 - progress;
        return fin + (initial - fin) * remaining * remaining * remaining;
    }
}
