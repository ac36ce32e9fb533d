package org.sinter.automl.tuner;

import java.util.List;
import org.sinter.automl.space.SearchSpace;

/** Tuners by the names the command line and the benchmarks use (NNI's builtin tuner names, lower-cased). */
public final class Tuners {
    private Tuners() {}

    public static final List<String> NAMES = List.of("random", "grid", "tpe", "tpe-multivariate", "gp", "smac", "anneal", "evolution");

    /** The model-based tuners whose random start-up trials {@link #create(String, SearchSpace, long, int)} can set. */
    public static final List<String> WITH_STARTUP = List.of("tpe", "tpe-multivariate", "gp", "smac");

    /** {@code name} with {@code startupTrials} random trials before its model takes over (10 by default). */
    public static Tuner create(String name, SearchSpace space, long seed, int startupTrials) {
        return switch (name) {
            case "tpe" -> new TpeTuner(space, seed, startupTrials, TpeTuner.DEFAULT_CANDIDATES);
            case "tpe-multivariate" -> new TpeTuner(space, seed, startupTrials, 24, true);
            case "gp" -> new GpTuner(space, seed, startupTrials, 1000);
            case "smac" -> new SmacTuner(space, seed, startupTrials, 5000, true);
            default -> throw new IllegalArgumentException("tuner '" + name + "' has no start-up trials to set; "
                    + String.join(", ", WITH_STARTUP) + " have");
        };
    }

    public static Tuner create(String name, SearchSpace space, long seed) {
        return switch (name) {
            case "random" -> new RandomTuner(space, seed);
            case "grid" -> new GridTuner(space);
            case "tpe" -> new TpeTuner(space, seed);
            case "tpe-multivariate" -> TpeTuner.multivariate(space, seed);
            case "gp" -> new GpTuner(space, seed);
            case "smac" -> new SmacTuner(space, seed);
            case "anneal" -> new SimulatedAnnealingTuner(space, seed);
            case "evolution" -> new RegularizedEvolutionTuner(space, seed);
            default -> throw new IllegalArgumentException("unknown tuner '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }
}
