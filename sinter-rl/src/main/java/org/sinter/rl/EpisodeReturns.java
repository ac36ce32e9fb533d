package org.sinter.rl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The returns of finished training episodes, with the mean over the last {@code window} of them
 * and the environment step at which that mean first reached a threshold (the bar:
 * "mean return 475 within N steps").
 */
public final class EpisodeReturns {
    /** Finished episodes' returns and end steps, in order: what a resumed run starts from. */
    public record History(List<Double> returns, List<Long> endSteps) {
        public static final History NONE = new History(List.of(), List.of());
    }

    private final int window;
    private final double threshold;
    private final List<Double> all = new ArrayList<>();
    private final List<Long> endSteps = new ArrayList<>();
    private final Deque<Double> recent = new ArrayDeque<>();
    private double recentSum;
    private long stepsToThreshold = -1;

    public EpisodeReturns(int window, double threshold) {
        if (window <= 0) throw new IllegalArgumentException("EpisodeReturns: window must be positive, got " + window);
        this.window = window;
        this.threshold = threshold;
    }

    /** Records an episode that ended at environment step {@code step}; true when the bar was first reached now. */
    public boolean add(double episodeReturn, long step) {
        all.add(episodeReturn);
        endSteps.add(step);
        recent.addLast(episodeReturn);
        recentSum += episodeReturn;
        if (recent.size() > window) recentSum -= recent.removeFirst();
        if (stepsToThreshold < 0 && recent.size() == window && recentMean() >= threshold) {
            stepsToThreshold = step;
            return true;
        }
        return false;
    }

    /** Records a resumed run's earlier episodes, in order, as {@link #add} would have. */
    public void addAll(List<Double> returns, List<Long> endSteps) {
        if (returns.size() != endSteps.size()) throw new IllegalArgumentException("EpisodeReturns: " + returns.size() + " returns for " + endSteps.size() + " end steps");
        for (int i = 0; i < returns.size(); i++) add(returns.get(i), endSteps.get(i));
    }

    /** Records {@code history}, as {@link #addAll(List, List)}. */
    public void addAll(History history) {
        addAll(history.returns(), history.endSteps());
    }

    /** The mean of the last {@code window} returns (fewer at the start; NaN before any). */
    public double recentMean() {
        return recent.isEmpty() ? Double.NaN : recentSum / recent.size();
    }

    public int episodes() {
        return all.size();
    }

    public boolean reached() {
        return stepsToThreshold >= 0;
    }

    /** The environment step at which the bar was first reached, or −1. */
    public long stepsToThreshold() {
        return stepsToThreshold;
    }

    public List<Double> all() {
        return List.copyOf(all);
    }

    /** The environment step at which each episode ended, in the order of {@link #all}. */
    public List<Long> endSteps() {
        return List.copyOf(endSteps);
    }

    /** The summary of a training run that took {@code steps} environment steps in {@code seconds}. */
    public TrainingResult result(long steps, double seconds) {
        return new TrainingResult(steps, episodes(), recentMean(), stepsToThreshold, seconds, all(), endSteps());
    }
}
