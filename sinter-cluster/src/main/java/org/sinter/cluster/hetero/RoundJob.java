package org.sinter.cluster.hetero;

/**
 * A job inside the round-based simulator: steps left, seconds run on each GPU type so far, the type it
 * ran on last round (-1: none), and the job-seconds of company it had (for finish-time fairness).
 */
public final class RoundJob {
    final HeteroJob job;
    final double admitted;
    double remaining;
    final double[] secondsOn;
    int lastType = -1;
    int typeChanges;
    double companyIntegral;
    double completion = Double.NaN;
    /** Seconds run sharing its GPUs, per partner job type and GPU type (space sharing). */
    final java.util.Map<String, double[]> secondsWith = new java.util.HashMap<>();

    RoundJob(HeteroJob job, double admitted, int types) {
        this.job = job;
        this.admitted = admitted;
        this.remaining = job.steps();
        this.secondsOn = new double[types];
    }

    public HeteroJob job() {
        return job;
    }

    /** Seconds this job has run on GPU type {@code m}. */
    public double secondsOn(int m) {
        return secondsOn[m];
    }

    /** When it entered the round-based schedule (the first round boundary at or after its arrival). */
    public double admitted() {
        return admitted;
    }

    /** The type it ran on in the last round, or -1. */
    public int lastType() {
        return lastType;
    }

    /** Seconds this job has run on type {@code m} sharing its GPUs with a job of {@code partnerType}. */
    public double secondsWith(String partnerType, int m) {
        double[] s = secondsWith.get(partnerType);
        return s == null ? 0 : s[m];
    }

    public double remainingSteps() {
        return remaining;
    }
}
