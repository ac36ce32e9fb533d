package org.sinter.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fluent keyword options shared by the optimizers' {@code options()} builders; each optimizer's
 * builder starts from PyTorch's defaults and adds its own settings.
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O>> {
    private final Map<String, Object> values = new LinkedHashMap<>();

    protected OptimizerOptions(Map<String, Object> defaults) {
        values.putAll(defaults);
    }

    @SuppressWarnings("unchecked")
    protected O put(String key, Object value) {
        values.put(key, value);
        return (O) this;
    }

    public O lr(double v) { return put("lr", v); }

    public O weightDecay(double v) { return put("weight_decay", v); }

    /** Ascend the objective instead of descending it. */
    public O maximize(boolean v) { return put("maximize", v); }

    /** The options as a group's defaults. */
    public Map<String, Object> toMap() {
        return new LinkedHashMap<>(values);
    }
}
