package org.sinter.learned.tuning;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.experiment.Experiment;
import org.sinter.automl.experiment.ExperimentResult;
import org.sinter.automl.experiment.TrialRecord;
import org.sinter.automl.experiment.TrialStatus;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.TpeTuner;

/**
 * Learned system tuning: the AutoML module's Bayesian optimisation (TPE) searches a knob space for
 * the setting that maximises a measured objective, one trial at a time (trials time the machine,
 * so they must not overlap), journaled so an interrupted search resumes. The search's own best
 * score is optimistic (the maximum of noisy measurements), so the winner and the defaults are then
 * measured again, alternately, and the gain is reported from those figures only.
 */
public final class KnobTuner {
    private final SearchSpace space;
    private final Objective objective;

    public KnobTuner(SearchSpace space, Objective objective) {
        this.space = space;
        this.objective = objective;
    }

    public TuningResult tune(Map<String, Object> defaults, int trials, int rounds, long seed, Path journal, Consumer<String> log)
            throws IOException, InterruptedException {
        if (trials < 1 || rounds < 1) throw new IllegalArgumentException("KnobTuner: trials and rounds must be >= 1, got " + trials + " and " + rounds);
        for (String k : space.parameters().keySet()) {
            if (!defaults.containsKey(k)) throw new IllegalArgumentException("KnobTuner: the defaults lack knob '" + k + "'");
        }
        measure(defaults); // warm-up, discarded: the first run also pays for JIT compilation
        ExperimentResult result = Experiment.builder().searchSpace(space)
                .tuner(new TpeTuner(space, seed, Math.max(2, trials / 3), 24))
                .trialFunction(trial -> {
                    double v = objective.measure(trial.parameters());
                    if (log != null) log.accept(String.format(java.util.Locale.ROOT, "trial %d %s -> %.4g", trial.id(), trial.parameters(), v));
                    trial.reportFinal(v);
                })
                .direction(Direction.MAXIMIZE).maxTrials(trials).concurrency(1).journal(journal)
                .build().run();
        TrialRecord best = result.trials().stream().filter(t -> t.status() == TrialStatus.SUCCEEDED)
                .max(Comparator.comparingDouble(TrialRecord::value))
                .orElseThrow(() -> new IllegalStateException("KnobTuner: no trial succeeded; see " + journal));
        Map<String, Object> bestKnobs = new LinkedHashMap<>(best.parameters());
        double[] d = new double[rounds], b = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            d[r] = measure(defaults);
            b[r] = measure(bestKnobs);
            if (log != null) log.accept(String.format(java.util.Locale.ROOT, "re-measure %d: defaults %.4g, best %.4g", r, d[r], b[r]));
        }
        return new TuningResult(defaults, bestKnobs, result.trials(), d, b);
    }

    private double measure(Map<String, Object> knobs) {
        try {
            return objective.measure(knobs);
        } catch (Exception e) {
            throw new IllegalStateException("KnobTuner: measuring " + knobs + " failed: " + e.getMessage(), e);
        }
    }
}
