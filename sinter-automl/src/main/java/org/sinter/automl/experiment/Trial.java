package org.sinter.automl.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One running trial, as the user's {@link TrialFunction} sees it. */
public final class Trial {
    /** How the experiment hears about a trial's reports; returns false when the assessor stops it. */
    interface Listener {
        boolean intermediate(Trial trial, double value, List<Double> history);
    }

    private final int id;
    private final Map<String, Object> parameters;
    private final Listener listener;
    private final List<Double> intermediates = new ArrayList<>();
    private Double finalValue;

    Trial(int id, Map<String, Object> parameters, Listener listener) {
        this.id = id;
        this.parameters = parameters;
        this.listener = listener;
    }

    public int id() { return id; }

    public Map<String, Object> parameters() { return parameters; }

    public double getDouble(String name) { return ((Number) require(name)).doubleValue(); }

    public int getInt(String name) { return ((Number) require(name)).intValue(); }

    public String getString(String name) { return String.valueOf(require(name)); }

    private Object require(String name) {
        Object v = parameters.get(name);
        if (v == null) throw new IllegalArgumentException("trial " + id + " has no parameter '" + name + "'; it has " + parameters.keySet());
        return v;
    }

    /**
     * Records one intermediate result (one epoch's validation metric, say). Throws
     * {@link TrialEarlyStopped} when the assessor decides the trial should not go on.
     */
    public void reportIntermediate(double value) {
        if (finalValue != null) throw new IllegalStateException("trial " + id + " already reported its final result");
        intermediates.add(value);
        if (!listener.intermediate(this, value, List.copyOf(intermediates))) throw new TrialEarlyStopped(id, intermediates.size());
    }

    /** Records the trial's final metric; once. */
    public void reportFinal(double value) {
        if (finalValue != null) throw new IllegalStateException("trial " + id + " reported its final result twice");
        if (Double.isNaN(value)) throw new IllegalArgumentException("trial " + id + " reported a NaN final result");
        finalValue = value;
    }

    Double finalValue() { return finalValue; }

    List<Double> intermediates() { return List.copyOf(intermediates); }
}
