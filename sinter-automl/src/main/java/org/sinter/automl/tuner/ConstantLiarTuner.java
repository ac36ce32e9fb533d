package org.sinter.automl.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The constant liar (Ginsbourger, Le Riche and Carraro 2010; Optuna's {@code constant_liar}) for a model-based tuner
 * under concurrency: when a proposal is asked for while trials are still running, each running trial is given a made-up
 * loss (by default the worst observed, as Optuna does), so the model treats its neighbourhood as explored and the
 * concurrent proposals spread out instead of piling onto the same optimum.
 *
 * <p>Tuners cannot forget a result, so every proposal is made by a fresh inner tuner restored with the real results plus
 * the lies. Sinter's tuners draw trial {@code i}'s randomness from {@code (seed, i)}, so with nothing running the liar
 * proposes exactly what the wrapped tuner would.
 */
public final class ConstantLiarTuner implements Tuner {
    /** The loss told for a running trial: the worst, mean or best loss observed so far. */
    public enum Lie { WORST, MEAN, BEST }

    private final Supplier<Tuner> factory;
    private final Lie lie;
    private final LinkedHashMap<Integer, Map<String, Object>> issued = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, Observation> completed = new LinkedHashMap<>();

    public ConstantLiarTuner(Supplier<Tuner> factory, Lie lie) {
        this.factory = factory;
        this.lie = lie;
    }

    @Override
    public Optional<Map<String, Object>> generateParameters(int trialId) {
        Tuner inner = factory.get();
        List<Observation> told = new ArrayList<>(completed.values());
        if (!completed.isEmpty()) {
            double value = lieValue();
            for (Map.Entry<Integer, Map<String, Object>> e : issued.entrySet())
                if (!completed.containsKey(e.getKey()) && e.getKey() != trialId) told.add(new Observation(e.getKey(), e.getValue(), value));
        }
        inner.restore(List.copyOf(issued.values()), told);
        Optional<Map<String, Object>> proposal = inner.generateParameters(trialId);
        proposal.ifPresent(p -> issued.put(trialId, p));
        return proposal;
    }

    private double lieValue() {
        double worst = Double.NEGATIVE_INFINITY, best = Double.POSITIVE_INFINITY, sum = 0;
        int n = 0;
        for (Observation o : completed.values()) {
            if (!Double.isFinite(o.loss())) continue;
            worst = Math.max(worst, o.loss());
            best = Math.min(best, o.loss());
            sum += o.loss();
            n++;
        }
        if (n == 0) return Double.POSITIVE_INFINITY;
        return switch (lie) {
            case WORST -> worst;
            case MEAN -> sum / n;
            case BEST -> best;
        };
    }

    @Override
    public void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss) {
        issued.putIfAbsent(trialId, parameters);
        completed.put(trialId, new Observation(trialId, parameters, loss));
    }

    @Override
    public void restore(List<Map<String, Object>> issuedParameters, List<Observation> completedResults) {
        for (Observation o : completedResults) receiveTrialResult(o.trialId(), o.parameters(), o.loss());
    }
}
