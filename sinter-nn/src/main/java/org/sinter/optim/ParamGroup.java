package org.sinter.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * Parameters optimized together with their own hyper-parameters (PyTorch's param_groups entry).
 * Options not set on the group come from the optimizer's defaults when the group is added.
 * Values are {@link Double}, {@link Boolean}, or a {@code List<Double>} (Adam's {@code betas}).
 *
 * <pre>{@code
 * new SGD(List.of(ParamGroup.of(backbone.parameters()),
 *                 ParamGroup.of(head.parameters()).set("lr", 1e-2)),
 *         SGD.options().lr(1e-3).momentum(0.9));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final LinkedHashMap<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    public static ParamGroup of(Iterable<Tensor> params) {
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : params) list.add(t);
        return new ParamGroup(list);
    }

    public static ParamGroup of(Tensor... params) {
        return new ParamGroup(List.of(params));
    }

    /** Sets an option (numbers are stored as Double); returns this group. */
    public ParamGroup set(String key, Object value) {
        options.put(key, normalize(key, value));
        return this;
    }

    static Object normalize(String key, Object value) {
        if (value instanceof Number n) return n.doubleValue();
        if (value instanceof Boolean || value instanceof String) return value;
        if (value instanceof List<?> l) {
            List<Double> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof Number n)) throw new IllegalArgumentException("option '" + key + "': list entries must be numbers, got " + o);
                out.add(n.doubleValue());
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException("option '" + key + "': unsupported value " + value);
    }

    public List<Tensor> params() {
        return params;
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** All options, read-only. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    public double getDouble(String key) {
        if (!(options.get(key) instanceof Double d)) throw new IllegalStateException("param group has no number option '" + key + "'");
        return d;
    }

    public boolean getBoolean(String key) {
        if (!(options.get(key) instanceof Boolean b)) throw new IllegalStateException("param group has no boolean option '" + key + "'");
        return b;
    }

    @SuppressWarnings("unchecked")
    public List<Double> getList(String key) {
        if (!(options.get(key) instanceof List<?> l)) throw new IllegalStateException("param group has no list option '" + key + "'");
        return (List<Double>) l;
    }

    /** The learning rate. */
    public double lr() {
        return getDouble("lr");
    }

    /** Sets the learning rate (what schedulers do). */
    public void setLr(double lr) {
        options.put("lr", lr);
    }

    void fillDefaults(Map<String, Object> defaults) {
        defaults.forEach(options::putIfAbsent);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
