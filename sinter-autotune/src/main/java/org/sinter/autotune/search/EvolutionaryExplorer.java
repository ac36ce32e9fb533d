package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sinter.autotune.space.Config;

/**
 * Ansor's evolutionary search: a population seeded with the best measured configurations and
 * random ones evolves for some generations by mutation (one knob) and crossover (each knob from
 * either parent, parents drawn by fitness), fitness being the cost model's score; the best
 * unmeasured individuals go through the same diversity-aware ε-greedy pick. Without a trained
 * model it proposes random configurations.
 */
public final class EvolutionaryExplorer implements Explorer {
    private final int population, generations;
    private final double mutationShare, epsilon, diversity;

    public EvolutionaryExplorer(int population, int generations, double mutationShare, double epsilon, double diversity) {
        this.population = population;
        this.generations = generations;
        this.mutationShare = mutationShare;
        this.epsilon = epsilon;
        this.diversity = diversity;
    }

    public EvolutionaryExplorer() {
        this(128, 4, 0.85, 0.05, 0.5);
    }

    @Override public String name() { return "evolutionary"; }

    @Override
    public List<Config> next(int n, SearchState state) {
        if (state.model() == null || !state.model().trained()) return new RandomExplorer().next(n, state);
        Random r = state.random();
        List<Config> pop = Starts.of(population, state);
        double[] fit = state.predict(pop);
        Map<Config, Double> seen = new HashMap<>();
        for (int i = 0; i < pop.size(); i++) seen.put(pop.get(i), fit[i]);
        for (int g = 0; g < generations; g++) {
            double[] w = weights(fit);
            List<Config> children = new ArrayList<>();
            for (int i = 0; i < population; i++) {
                Config a = pop.get(draw(w, r));
                children.add(r.nextDouble() < mutationShare ? Starts.mutate(a, state, r) : crossover(a, pop.get(draw(w, r)), state, r));
            }
            double[] cf = state.predict(children);
            for (int i = 0; i < children.size(); i++) seen.putIfAbsent(children.get(i), cf[i]);
            // The next generation: the best of parents and children.
            List<Integer> order = new ArrayList<>();
            List<Config> all = new ArrayList<>(pop);
            all.addAll(children);
            double[] af = new double[all.size()];
            System.arraycopy(fit, 0, af, 0, fit.length);
            System.arraycopy(cf, 0, af, fit.length, cf.length);
            for (int i = 0; i < all.size(); i++) order.add(i);
            order.sort((x, y) -> Double.compare(af[y], af[x]));
            List<Config> next = new ArrayList<>();
            double[] nf = new double[population];
            for (int i = 0; i < population; i++) {
                next.add(all.get(order.get(i)));
                nf[i] = af[order.get(i)];
            }
            pop = next;
            fit = nf;
        }
        return Starts.pickFrom(seen, n, epsilon, diversity, state);
    }

    private static Config crossover(Config a, Config b, SearchState state, Random r) {
        int[] ca = a.choices(), cb = b.choices();
        for (int k = 0; k < ca.length; k++) if (r.nextBoolean()) ca[k] = cb[k];
        return state.space().get(Starts.indexOf(ca, state));
    }

    /** Selection weights: scores shifted to be positive (rejected configurations get none). */
    private static double[] weights(double[] fit) {
        double lo = Double.POSITIVE_INFINITY;
        for (double f : fit) if (f != Double.NEGATIVE_INFINITY) lo = Math.min(lo, f);
        double[] w = new double[fit.length];
        for (int i = 0; i < fit.length; i++) w[i] = fit[i] == Double.NEGATIVE_INFINITY ? 0 : fit[i] - lo + 1e-3;
        return w;
    }

    private static int draw(double[] w, Random r) {
        double total = 0;
        for (double x : w) total += x;
        if (total <= 0) return r.nextInt(w.length);
        double u = r.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u <= 0) return i;
        }
        return w.length - 1;
    }
}
