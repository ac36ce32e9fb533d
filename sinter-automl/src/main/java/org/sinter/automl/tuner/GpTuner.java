package org.sinter.automl.tuner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.sinter.automl.space.SearchSpace;

/**
 * Gaussian-process Bayesian optimisation with expected improvement (Jones, Schonlau, Welch 1998;
 * Snoek, Larochelle, Adams 2012): after {@code startupTrials} random trials, a {@link Matern52Process}
 * is fitted to the finished trials' losses over the search space's {@link UnitCube}, and the point
 * with the largest expected improvement over the best loss so far is proposed. EI is maximised by
 * scoring {@code randomCandidates} uniform points plus perturbations of the best observed points,
 * then hill-climbing from the best few with Gaussian steps that shrink when they stop helping.
 *
 * <p>Losses are modelled as they come (standardised). Like {@link TpeTuner}, it does not impute
 * running trials, so concurrent proposals made from the same history can coincide.
 */
public final class GpTuner implements Tuner {
    private final UnitCube cube;
    private final long seed;
    private final int startupTrials;
    private final int randomCandidates;
    private final Matern52Process gp;
    private final List<Observation> observations = new ArrayList<>();
    private boolean fitted;

    public GpTuner(SearchSpace space, long seed) {
        this(space, seed, 10, 1000);
    }

    public GpTuner(SearchSpace space, long seed, int startupTrials, int randomCandidates) {
        if (startupTrials < 2 || randomCandidates < 1) throw new IllegalArgumentException("GP-BO needs startupTrials >= 2 and randomCandidates >= 1");
        this.cube = new UnitCube(space, "gp");
        this.seed = seed;
        this.startupTrials = startupTrials;
        this.randomCandidates = randomCandidates;
        this.gp = new Matern52Process(cube.dimension());
    }

    @Override
    public Optional<Map<String, Object>> generateParameters(int trialId) {
        RandomGenerator rng = TrialRandom.forTrial(seed, trialId);
        List<Observation> finite = observations.stream().filter(o -> Double.isFinite(o.loss())).toList();
        if (finite.size() < startupTrials) return Optional.of(cube.decode(cube.random(rng)));
        double[][] x = new double[finite.size()][];
        double[] y = new double[finite.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            x[i] = cube.encode(finite.get(i).parameters());
            y[i] = finite.get(i).loss();
            best = Math.min(best, y[i]);
        }
        // A long first fit, then short warm-started refits: the hyper-parameters move little per trial.
        gp.fit(x, y, fitted ? 30 : 150);
        fitted = true;
        return Optional.of(cube.decode(maximiseExpectedImprovement(x, y, best, rng)));
    }

    private double[] maximiseExpectedImprovement(double[][] x, double[] y, double best, RandomGenerator rng) {
        record Scored(double[] point, double score) {}
        List<Scored> pool = new ArrayList<>();
        for (int i = 0; i < randomCandidates; i++) {
            double[] p = cube.random(rng);
            pool.add(new Scored(p, logExpectedImprovement(p, best)));
        }
        // Perturbations of the best observed points: EI's maxima are often next to them.
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> y[i]));
        for (int r = 0; r < Math.min(5, order.length); r++) {
            for (int k = 0; k < randomCandidates / 20; k++) {
                double[] p = perturb(x[order[r]], 0.05, rng);
                pool.add(new Scored(p, logExpectedImprovement(p, best)));
            }
        }
        pool.sort(Comparator.comparingDouble(Scored::score).reversed());
        double[] winner = pool.getFirst().point();
        double winnerScore = pool.getFirst().score();
        for (int start = 0; start < Math.min(3, pool.size()); start++) {
            double[] current = pool.get(start).point();
            double currentScore = pool.get(start).score();
            double step = 0.05;
            for (int it = 0; it < 60 && step > 1e-4; it++) {
                double[] next = perturb(current, step, rng);
                double score = logExpectedImprovement(next, best);
                if (score > currentScore) {
                    current = next;
                    currentScore = score;
                } else if (it % 6 == 5) {
                    step /= 2;
                }
            }
            if (currentScore > winnerScore) {
                winner = current;
                winnerScore = currentScore;
            }
        }
        return winner;
    }

    /** A Gaussian step on the numeric coordinates, clipped to the cube; each choice re-drawn with probability 0.1. */
    private double[] perturb(double[] x, double step, RandomGenerator rng) {
        return CubeMoves.perturbAll(cube, x, step, 0.1, rng);
    }

    /**
     * log EI for minimisation, {@code EI = σ (z Φ(z) + φ(z))}, {@code z = (best - μ) / σ}, computed in
     * log space so that far-off candidates still rank (for z below -6 the asymptote
     * {@code φ(z) / z²} replaces the cancelling sum).
     */
    double logExpectedImprovement(double[] x, double best) {
        double[] ms = gp.predict(x);
        double sigma = ms[1], z = (best - ms[0]) / sigma;
        if (z > -6) return Math.log(sigma) + Math.log(Math.max(z * Gaussian.cdf(z) + Gaussian.pdf(z), 1e-300));
        return Math.log(sigma) - 0.5 * z * z - Gaussian.LOG_SQRT_2PI - 2 * Math.log(-z);
    }

    @Override
    public void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss) {
        observations.add(new Observation(trialId, parameters, loss));
    }
}
