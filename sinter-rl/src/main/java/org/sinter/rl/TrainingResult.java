package org.sinter.rl;

/**
 * What a training run reached: environment steps taken, episodes finished, the mean return of the
 * last episodes (see {@link EpisodeReturns}), the step at which that mean first reached the stop
 * threshold (−1 if never), wall time, and every episode's return and the environment step it
 * ended at, in order.
 */
public record TrainingResult(long steps, int episodes, double meanReturn, long stepsToThreshold, double seconds,
                             java.util.List<Double> episodeReturns, java.util.List<Long> episodeEndSteps) {
    public double stepsPerSecond() {
        return steps / seconds;
    }

    /** The summary line the training mains print. */
    public String summary(String algorithm, long seed, double threshold) {
        return String.format(java.util.Locale.ROOT,
                "RESULT %s seed %d: %s %.0f at %d steps; %d steps, %d episodes, last mean return %.1f, %.1f s, %.0f steps/s",
                algorithm, seed, stepsToThreshold >= 0 ? "reached" : "did not reach", threshold, stepsToThreshold, steps, episodes,
                meanReturn, seconds, stepsPerSecond());
    }
}
