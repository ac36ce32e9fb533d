package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sinter.autotune.space.Config;

/**
 * AutoTVM's model-guided search: {@code walkers} parallel simulated-annealing walks over the space
 * scored by the cost model (a step changes one knob; a worse step is taken with probability
 * e^{Δ/T}, T cooling linearly to 0), starting from the best measured points and random ones. The
 * best unmeasured points any walker saw are the candidates; the batch is their diversity-aware,
 * ε-greedy pick. Without a trained model it proposes random configurations.
 */
public final class SimulatedAnnealingExplorer implements Explorer {
    private final int walkers, steps;
    private final double epsilon, diversity;

    public SimulatedAnnealingExplorer(int walkers, int steps, double epsilon, double diversity) {
        this.walkers = walkers;
        this.steps = steps;
        this.epsilon = epsilon;
        this.diversity = diversity;
    }

    public SimulatedAnnealingExplorer() {
        this(64, 40, 0.05, 0.5);
    }

    @Override public String name() { return "sa"; }

    @Override
    public List<Config> next(int n, SearchState state) {
        if (state.model() == null || !state.model().trained()) return new RandomExplorer().next(n, state);
        Random r = state.random();
        List<Config> points = Starts.of(walkers, state);
        double[] scores = state.predict(points);
        Map<Config, Double> seen = new HashMap<>();
        for (int i = 0; i < points.size(); i++) seen.put(points.get(i), scores[i]);
        double temp0 = 1.0;
        for (int step = 0; step < steps; step++) {
            double t = temp0 * (1 - (double) step / steps);
            List<Config> moves = new ArrayList<>();
            for (Config p : points) moves.add(Starts.mutate(p, state, r));
            double[] ms = state.predict(moves);
            for (int i = 0; i < points.size(); i++) {
                seen.putIfAbsent(moves.get(i), ms[i]);
                double delta = ms[i] - scores[i];
                if (delta >= 0 || t > 0 && r.nextDouble() < Math.exp(delta / t)) {
                    points.set(i, moves.get(i));
                    scores[i] = ms[i];
                }
            }
        }
        return Starts.pickFrom(seen, n, epsilon, diversity, state);
    }
}
