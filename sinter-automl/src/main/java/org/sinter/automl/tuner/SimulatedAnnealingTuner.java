package org.sinter.automl.tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.sinter.automl.space.SearchSpace;

/**
 * Simulated annealing (Kirkpatrick et al. 1983) over the search space's {@link UnitCube}: each
 * proposal is a Gaussian step from the current point (choices re-drawn now and then); a result
 * replaces the current point if it is better, or if worse with the Metropolis probability
 * {@code exp(-Δ / T)}, where Δ is the loss difference in units of the spread (standard deviation)
 * of the losses seen so far, so the schedule needs no knowledge of the metric's scale. The
 * temperature falls geometrically, {@code T_k = T0 · cooling^k} per result, and the step scale with
 * it, {@code step0 · √(T/T0)}, from wide exploration to a local search around the current point.
 * Results that arrive for proposals made from an older current point (concurrent trials) are judged
 * against the current point all the same.
 */
public final class SimulatedAnnealingTuner implements Tuner {
    private final UnitCube cube;
    private final long seed;
    private final double initialTemperature, cooling, initialStep;
    private final List<Double> losses = new ArrayList<>();
    private double[] current;
    private double currentLoss = Double.POSITIVE_INFINITY;
    private double temperature;

    public SimulatedAnnealingTuner(SearchSpace space, long seed) {
        this(space, seed, 1.0, 0.95, 0.25);
    }

    public SimulatedAnnealingTuner(SearchSpace space, long seed, double initialTemperature, double cooling, double initialStep) {
        if (!(initialTemperature > 0) || !(cooling > 0 && cooling < 1) || !(initialStep > 0))
            throw new IllegalArgumentException("annealing needs initialTemperature > 0, 0 < cooling < 1 and initialStep > 0");
        this.cube = new UnitCube(space, "anneal");
        this.seed = seed;
        this.initialTemperature = initialTemperature;
        this.cooling = cooling;
        this.initialStep = initialStep;
        this.temperature = initialTemperature;
    }

    @Override
    public Optional<Map<String, Object>> generateParameters(int trialId) {
        RandomGenerator rng = TrialRandom.forTrial(seed, trialId);
        if (current == null) return Optional.of(cube.decode(cube.random(rng)));
        double step = initialStep * Math.sqrt(temperature / initialTemperature) + 0.005;
        return Optional.of(cube.decode(CubeMoves.perturbAll(cube, current, step, 0.2, rng)));
    }

    @Override
    public void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss) {
        if (!Double.isFinite(loss)) return;
        losses.add(loss);
        double[] x = cube.encode(parameters);
        if (current == null || loss <= currentLoss) {
            current = x;
            currentLoss = loss;
        } else {
            double delta = (loss - currentLoss) / spread();
            // The acceptance draw comes from its own stream per trial, so a replay is deterministic.
            RandomGenerator rng = TrialRandom.forTrial(~seed, trialId);
            if (rng.nextDouble() < Math.exp(-delta / temperature)) {
                current = x;
                currentLoss = loss;
            }
        }
        temperature *= cooling;
    }

    private double spread() {
        double mean = losses.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double var = losses.stream().mapToDouble(l -> (l - mean) * (l - mean)).sum() / Math.max(1, losses.size() - 1);
        return var > 0 ? Math.sqrt(var) : 1;
    }
}
