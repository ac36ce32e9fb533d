package org.sinter.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.profiler.Profiler;
import org.sinter.nn.io.Stateful;

/**
 * Base of the optimizers (PyTorch's {@code torch.optim.Optimizer}): parameter groups with their
 * own hyper-parameters, per-parameter state, {@link #zeroGrad()}, {@link #step()}, and state
 * export for checkpoints.
 *
 * <p>Updates run under no-grad with in-place tensor ops, so parameters keep their identity (modules
 * and schedulers hold the same tensors). Parameters without a gradient are skipped.
 *
 * <p>State export through {@link Stateful}, so a {@link org.sinter.nn.io.Checkpoint} saves it.
 * Parameters are numbered across groups in order, as in PyTorch's state_dict: keys are
 * {@code state.<i>.<name>} (e.g. {@code state.0.exp_avg}, {@code state.0.step}) and
 * {@code param_groups.<g>.<option>}, plus {@code param_groups.<g>.params} listing the indices.
 */
public abstract class Optimizer implements Stateful {
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    private final Map<String, Object> defaults;
    /** Per-parameter state (tensors such as exp_avg, and numbers such as step), by identity. */
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    @SuppressWarnings("this-escape") // adds (and validates) its parameter groups in the constructor, as PyTorch does
    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        this.defaults = new LinkedHashMap<>();
        defaults.forEach((k, v) -> this.defaults.put(k, ParamGroup.normalize(k, v)));
        if (groups.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** Adds a group (e.g. layers unfrozen later); missing options come from the defaults. */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor " + p.describe());
            for (ParamGroup g : paramGroups) {
                for (Tensor q : g.params()) {
                    if (q == p) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        group.fillDefaults(defaults);
        validate(group);
        paramGroups.add(group);
    }

    /** Checks a group's hyper-parameters; throws IllegalArgumentException naming the bad one. */
    protected abstract void validate(ParamGroup group);

    /** Updates one parameter in place from its gradient; {@code st} is its (mutable) state. */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> st);

    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(paramGroups);
    }

    public Map<String, Object> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    /** The state of one parameter (empty before its first update). */
    public Map<String, Object> state(Tensor param) {
        return Collections.unmodifiableMap(state.getOrDefault(param, Map.of()));
    }

    /** The mutable state of one parameter, created empty when absent (for optimizers that set up state eagerly). */
    protected Map<String, Object> stateFor(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** Clears the gradients of all parameters (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (ParamGroup g : paramGroups) for (Tensor p : g.params()) p.zeroGrad();
    }

    /** One optimization step over all parameters that have a gradient. */
    public void step() {
        // Named as PyTorch's profiler names it, so the fused kernels' time (not ops) shows in profiles.
        try (var _ = Sinter.noGrad(); var _ = Profiler.record("Optimizer.step#" + getClass().getSimpleName() + ".step")) {
            for (ParamGroup g : paramGroups) {
                for (Tensor p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    update(g, p, grad, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
                }
            }
        }
    }

    /** Re-evaluates the loss with {@code closure} (grad enabled), steps, and returns the loss. */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var _ = Sinter.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    // ------------------------------------------------------------------ state export

    private List<Tensor> allParams() {
        List<Tensor> out = new ArrayList<>();
        for (ParamGroup g : paramGroups) out.addAll(g.params());
        return out;
    }

    /** Tensor state by {@code state.<param index>.<name>} (live tensors; copy to snapshot). */
    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<Tensor> params = allParams();
        for (int i = 0; i < params.size(); i++) {
            Map<String, Object> st = state.get(params.get(i));
            if (st == null) continue;
            for (Map.Entry<String, Object> e : st.entrySet()) {
                if (e.getValue() instanceof Tensor t) out.put("state." + i + "." + e.getKey(), t);
            }
        }
        return out;
    }

    /** Non-tensor state (step counts) and every group's options and parameter indices. */
    @Override
    public Map<String, Object> stateValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Tensor> params = allParams();
        for (int i = 0; i < params.size(); i++) {
            Map<String, Object> st = state.get(params.get(i));
            if (st == null) continue;
            for (Map.Entry<String, Object> e : st.entrySet()) {
                if (!(e.getValue() instanceof Tensor)) out.put("state." + i + "." + e.getKey(), e.getValue());
            }
        }
        int index = 0;
        for (int g = 0; g < paramGroups.size(); g++) {
            ParamGroup group = paramGroups.get(g);
            for (Map.Entry<String, Object> e : group.options().entrySet()) out.put("param_groups." + g + "." + e.getKey(), e.getValue());
            List<Long> ids = new ArrayList<>();
            for (int k = 0; k < group.params().size(); k++) ids.add((long) index++);
            out.put("param_groups." + g + ".params", ids);
        }
        return out;
    }

    /**
     * Restores what {@link #stateTensors()} and {@link #stateValues()} exported, onto an optimizer
     * built over the same parameters in the same groups. Tensors are copied (cast to the
     * parameter's dtype when floating). Numbers may come back as any {@link Number} (e.g. from JSON).
     */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
        List<Tensor> params = allParams();
        for (int g = 0; g < paramGroups.size(); g++) {
            Object ids = values.get("param_groups." + g + ".params");
            if (ids instanceof List<?> l && l.size() != paramGroups.get(g).params().size()) {
                throw new IllegalArgumentException("loadState: loaded state dict contains a parameter group that doesn't match the size of "
                        + "optimizer's group " + g + " (" + l.size() + " vs " + paramGroups.get(g).params().size() + ")");
            }
        }
        Map<Tensor, Map<String, Object>> loaded = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String[] k = stateKey(e.getKey(), params.size());
            Tensor p = params.get(Integer.parseInt(k[0]));
            Tensor v = e.getValue();
            try (var _ = Sinter.noGrad()) {
                v = v.isFloatingPoint() ? v.to(p.dtype()).clone() : v.clone();
            }
            loaded.computeIfAbsent(p, x -> new LinkedHashMap<>()).put(k[1], v);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("state.")) {
                String[] k = stateKey(key, params.size());
                loaded.computeIfAbsent(params.get(Integer.parseInt(k[0])), x -> new LinkedHashMap<>()).put(k[1], e.getValue());
            } else if (key.startsWith("param_groups.")) {
                String rest = key.substring("param_groups.".length());
                int dot = rest.indexOf('.');
                int g = Integer.parseInt(rest.substring(0, dot));
                String opt = rest.substring(dot + 1);
                if (g >= paramGroups.size()) throw new IllegalArgumentException("loadState: no parameter group " + g + " (key " + key + ")");
                if (!opt.equals("params")) paramGroups.get(g).set(opt, e.getValue());
            } else {
                throw new IllegalArgumentException("loadState: unexpected key '" + key + "'");
            }
        }
        state.clear();
        state.putAll(loaded);
    }

    /**
     * Splits a state key {@code state.<index>.<name>} into the index and the name, checking the
     * index names one of {@code nParams} parameters (for wrappers that renumber state, e.g. ZeRO).
     */
    protected static String[] stateKey(String key, int nParams) {
        String rest = key.startsWith("state.") ? key.substring(6) : "";
        int dot = rest.indexOf('.');
        if (dot <= 0) throw new IllegalArgumentException("loadState: malformed key '" + key + "', expected state.<index>.<name>");
        int i;
        try {
            i = Integer.parseInt(rest.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("loadState: malformed key '" + key + "', expected state.<index>.<name>");
        }
        if (i < 0 || i >= nParams) throw new IllegalArgumentException("loadState: key '" + key + "' names parameter " + i + " of " + nParams);
        return new String[] {Integer.toString(i), rest.substring(dot + 1)};
    }

    /** A gradient negated when {@code maximize} (a new tensor; the parameter's grad is untouched). */
    protected static Tensor direction(Tensor grad, boolean maximize) {
        return maximize ? grad.neg() : grad;
    }

    /** The step counter after incrementing it. */
    protected static long nextStep(Map<String, Object> st) {
        long step = st.get("step") instanceof Number n ? n.longValue() + 1 : 1;
        st.put("step", step);
        return step;
    }

    protected static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int g = 0; g < paramGroups.size(); g++) {
            sb.append("\nParameter Group ").append(g);
            paramGroups.get(g).options().forEach((k, v) -> sb.append("\n    ").append(k).append(": ").append(v));
        }
        return sb.append("\n)").toString();
    }
}
