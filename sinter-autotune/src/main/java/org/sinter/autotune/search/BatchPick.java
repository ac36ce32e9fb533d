package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sinter.autotune.space.Config;

/**
 * Turns a model's ranked candidates into the batch to measure: a diversity-aware greedy pick
 * (AutoTVM's submodular pick: each next choice maximises its score plus a bonus for every knob
 * value the batch does not have yet, so a batch does not spend all its trials on near copies),
 * with an ε share of uniformly random configurations (ε-greedy: the model's blind spots get
 * measured too).
 */
final class BatchPick {
    private BatchPick() {}

    static List<Config> pick(List<Config> candidates, double[] scores, int n, double epsilon, double diversity, SearchState state) {
        int random = (int) Math.round(n * epsilon);
        List<Config> out = new ArrayList<>();
        Set<Config> taken = new HashSet<>();
        int knobs = state.space().knobs().size();
        List<Set<Integer>> seen = new ArrayList<>();
        for (int k = 0; k < knobs; k++) seen.add(new HashSet<>());
        double spread = spread(scores);
        while (out.size() < n - random) {
            int best = -1;
            double bestGain = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < candidates.size(); i++) {
                Config c = candidates.get(i);
                if (taken.contains(c) || !state.proposable(c) || scores[i] == Double.NEGATIVE_INFINITY) continue;
                int fresh = 0;
                for (int k = 0; k < knobs; k++) if (!seen.get(k).contains(c.choice(k))) fresh++;
                double gain = scores[i] + diversity * spread * fresh / knobs;
                if (gain > bestGain) {
                    bestGain = gain;
                    best = i;
                }
            }
            if (best < 0) break;
            Config c = candidates.get(best);
            taken.add(c);
            out.add(c);
            for (int k = 0; k < knobs; k++) seen.get(k).add(c.choice(k));
        }
        while (out.size() < n) {
            Config c = state.randomUnvisited();
            if (c == null) break;
            if (taken.add(c)) out.add(c);
            else if (taken.size() >= state.remaining()) break;
        }
        return out;
    }

    /** The spread of the finite scores (the diversity bonus is in the scores' units). */
    private static double spread(double[] s) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : s) {
            if (x == Double.NEGATIVE_INFINITY) continue;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi > lo ? hi - lo : 1;
    }
}
