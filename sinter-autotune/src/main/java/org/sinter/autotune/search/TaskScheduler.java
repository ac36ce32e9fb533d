package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads a trial budget over a model's tuning tasks (Ansor's task scheduler, simplified): every
 * task first gets one batch; then each next batch goes to the task with the largest expected
 * end-to-end gain, {@code weight × current latency × recent improvement} — weight being how many
 * times the model runs the workload, latency the best measured (a task with no working candidate
 * yet goes first), improvement the relative latency drop over its last batch (at least a small
 * floor, so a flat task is revisited eventually). Tasks whose space is exhausted drop out.
 */
public final class TaskScheduler {
    /** A workload to tune: its tuner, how many times the model runs it, its floating-point operations. */
    public record Task(String name, Tuner tuner, double weight, long flops) {}

    /** Called after every trial of any task. */
    public interface Listener {
        void trial(Task task, int taskTrials, double taskBestGflops, int totalDone, int totalBudget);
    }

    private static final double MIN_IMPROVEMENT = 0.02;
    private final List<Task> tasks;
    private final int batch;

    public TaskScheduler(List<Task> tasks, int batch) {
        if (tasks.isEmpty()) throw new IllegalArgumentException("task scheduler: no tasks");
        if (batch < 1) throw new IllegalArgumentException("task scheduler: batch must be >= 1, got " + batch);
        this.tasks = List.copyOf(tasks);
        this.batch = batch;
    }

    /** Runs until {@code budget} trials in all (resumed ones included) or every space is exhausted; returns the trials per task. */
    public int[] run(int budget, Listener listener) {
        int n = tasks.size();
        double[] before = new double[n], after = new double[n];
        int[] trials = new int[n];
        int done = 0;
        for (int i = 0; i < n; i++) {
            trials[i] = tasks.get(i).tuner().trials();
            done += trials[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i); // the warm-up round, in order
        while (done < budget) {
            int pick = -1;
            if (!order.isEmpty()) {
                pick = order.removeFirst();
            } else {
                double bestScore = -1;
                for (int i = 0; i < n; i++) {
                    Task t = tasks.get(i);
                    if (t.tuner().exhausted()) continue;
                    double score = score(t, before[i], after[i]);
                    if (score > bestScore) {
                        bestScore = score;
                        pick = i;
                    }
                }
            }
            if (pick < 0) break;
            Task t = tasks.get(pick);
            if (t.tuner().exhausted()) continue;
            before[pick] = latency(t);
            int target = Math.min(trials[pick] + batch, trials[pick] + budget - done);
            int start = done - trials[pick];
            int fixedPick = pick;
            t.tuner().tune(target, (d, total, best, eta) -> {
                if (listener != null) listener.trial(t, d, best, start + d, budget);
            });
            done += t.tuner().trials() - trials[pick];
            trials[pick] = t.tuner().trials();
            after[fixedPick] = latency(t);
        }
        return trials;
    }

    private static double latency(Task t) {
        double g = t.tuner().bestGflops();
        return g > 0 ? t.flops() / (g * 1e9) : Double.POSITIVE_INFINITY;
    }

    static double score(Task t, double before, double after) {
        if (after == Double.POSITIVE_INFINITY) return Double.MAX_VALUE;
        double improvement = before == Double.POSITIVE_INFINITY ? 1 : Math.max(MIN_IMPROVEMENT, 1 - after / before);
        return t.weight() * after * improvement;
    }
}
