package org.sinter.automl.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.RandomTuner;
import org.sinter.automl.tuner.TpeTuner;
import org.sinter.automl.tuner.Tuner;

/**
 * BOHB (Falkner, Klein, Hutter, ICML 2018): Hyperband whose new configurations come, with
 * probability {@code 1 - randomFraction}, from a multivariate TPE model fitted on the results at the
 * largest budget that has at least {@code d + 2} of them (d = number of parameters), and otherwise
 * at random. The model is Sinter's {@link TpeTuner#multivariate} (Optuna's γ rule and bandwidths,
 * where the paper uses a 15% split and scipy's KDE bandwidths).
 */
public final class Bohb extends Hyperband {

    public Bohb(SearchSpace space, long seed, double minBudget, double maxBudget, double eta, int rounds) {
        super(new ModelSource(space, seed, 1.0 / 3), minBudget, maxBudget, eta, rounds);
    }

    /** The per-budget observations and the choice between model and random sample. */
    static final class ModelSource implements ConfigSource {
        private final SearchSpace space;
        private final long seed;
        private final double randomFraction;
        private final Tuner random;
        private final TreeMap<Double, List<Tuner.Observation>> byBudget = new TreeMap<>();

        ModelSource(SearchSpace space, long seed, double randomFraction) {
            this.space = space;
            this.seed = seed;
            this.randomFraction = randomFraction;
            this.random = new RandomTuner(space, seed);
        }

        @Override
        public Map<String, Object> sample(int config) {
            int needed = space.parameters().size() + 2;
            boolean explore = new SplittableRandom(seed * 31 + config).nextDouble() < randomFraction;
            if (!explore) {
                for (var entry : byBudget.descendingMap().entrySet()) {
                    if (entry.getValue().size() < needed) continue;
                    TpeTuner model = new TpeTuner(space, seed, needed, 24, true);
                    model.restore(List.of(), entry.getValue());
                    return model.generateParameters(config).orElseThrow();
                }
            }
            return random.generateParameters(config).orElseThrow();
        }

        @Override
        public void observe(int config, Map<String, Object> parameters, double budget, double loss) {
            if (Double.isFinite(loss))
                byBudget.computeIfAbsent(budget, b -> new ArrayList<>()).add(new Tuner.Observation(config, parameters, loss));
        }
    }
}
