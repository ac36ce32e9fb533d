package org.sinter.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;

/**
 * Base class of layers and models (PyTorch's {@code nn.Module}): named parameters, buffers and
 * child modules registered explicitly, train/eval mode, and state dicts.
 *
 * <pre>{@code
 * final class Mlp extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(784, 128));
 *     final Linear fc2 = registerModule("fc2", new Linear(128, 10));
 *     @Override public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 *
 * Registration is explicit (no reflection): fields hold the same tensors and modules the
 * registry does, so parameter access is a plain field read.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    protected boolean training = true;

    /**
     * Runs the module on one input. Modules with several inputs or outputs (Bilinear,
     * MultiheadAttention, LSTM) define their own {@code forward} overloads.
     */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take a single tensor input");
    }

    // ------------------------------------------------------------------ registration

    private static void checkName(String kind, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(kind + " name must be non-empty and contain no '.', got '" + name + "'");
        }
    }

    /** Registers a parameter (null allowed: e.g. an absent bias); it is made a leaf requiring grad. */
    protected Tensor registerParameter(String name, Tensor value) {
        checkName("parameter", name);
        if (children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
        if (value != null) {
            if (!value.isLeaf()) throw new IllegalArgumentException("parameter '" + name + "' must be a leaf tensor; detach() it first");
            value.requiresGrad(true);
        }
        parameters.put(name, value);
        return value;
    }

    /** Registers a buffer (state that is not trained, e.g. running means); persistent ones are in the state dict. */
    protected Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName("buffer", name);
        if (children.containsKey(name) || parameters.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
        buffers.put(name, value);
        if (!persistent) nonPersistent.add(name);
        return value;
    }

    protected Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /** Registers a child module under a name. */
    protected <M extends Module> M registerModule(String name, M module) {
        checkName("module", name);
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
        children.put(name, module);
        return module;
    }

    /** Replaces a registered buffer's tensor (for modules whose state is recomputed). */
    protected void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("no buffer named '" + name + "' in " + getClass().getSimpleName());
        buffers.put(name, value);
    }

    // ------------------------------------------------------------------ traversal

    /** Direct children in registration order. */
    public Map<String, Module> namedChildren() {
        LinkedHashMap<String, Module> m = new LinkedHashMap<>();
        children.forEach((k, v) -> { if (v != null) m.put(k, v); });
        return Collections.unmodifiableMap(m);
    }

    public List<Module> children() {
        return new ArrayList<>(namedChildren().values());
    }

    /** This module and all descendants with dotted names ("" for this one), each module once. */
    public Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        m.children.forEach((k, c) -> { if (c != null) collectModules(prefix.isEmpty() ? k : prefix + "." + k, c, out, seen); });
    }

    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** All parameters with dotted names, each tensor once (shared parameters are not repeated). */
    public Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        namedModules().forEach((prefix, m) -> m.parameters.forEach((k, t) -> {
            if (t != null && seen.add(t)) out.put(prefix.isEmpty() ? k : prefix + "." + k, t);
        }));
        return out;
    }

    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> m.buffers.forEach((k, t) -> {
            if (t != null) out.put(prefix.isEmpty() ? k : prefix + "." + k, t);
        }));
        return out;
    }

    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Applies {@code fn} to every submodule (children first) and then to this module; returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) if (c != null) c.apply(fn);
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------ modes

    /** Sets training mode on this module and all descendants; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    public Module train() {
        return train(true);
    }

    /** Evaluation mode: dropout off, batch norm uses running statistics. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /** Converts floating parameters and buffers to {@code dtype}, in place (their identities are kept). */
    public Module to(DType dtype) {
        try (var _ = Sinter.noGrad()) {
            for (Module m : modules()) {
                for (Tensor p : m.parameters.values()) if (p != null && p.isFloatingPoint()) p.setData(p.to(dtype));
                // Buffers keep their identity too: layers hold them in fields (BatchNorm's running statistics).
                for (Tensor b : m.buffers.values()) if (b != null && b.isFloatingPoint()) b.setData(b.to(dtype));
            }
        }
        return this;
    }

    /**
     * Moves parameters (with their gradients) and buffers to {@code device}, in place: parameter
     * and buffer identities are kept, so an optimizer sees the same tensors. Move the model before the first
     * optimizer step: state an optimizer already holds (momentum, Adam's moments) stays where it is.
     */
    public Module to(org.sinter.Device device) {
        try (var _ = Sinter.noGrad()) {
            for (Module m : modules()) {
                for (Tensor p : m.parameters.values()) {
                    if (p == null || p.device().equals(device)) continue;
                    Tensor grad = p.grad();
                    p.setData(p.to(device));
                    if (grad != null) p.setGrad(grad.to(device));
                }
                for (Tensor b : m.buffers.values()) if (b != null && !b.device().equals(device)) b.setData(b.to(device));
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ state dicts

    /** Parameters and persistent buffers by dotted name (detached, sharing data). */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            m.parameters.forEach((k, t) -> { if (t != null) out.put(prefix + k, t.detach()); });
            m.buffers.forEach((k, t) -> { if (t != null && !m.nonPersistent.contains(k)) out.put(prefix + k, t.detach()); });
        }
        return out;
    }

    /** Keys that {@link #loadStateDict} could not match. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /**
     * Copies values from {@code state} into parameters and buffers (cast to their dtype). With
     * {@code strict}, missing or unexpected keys are an error; a shape mismatch always is.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            m.parameters.forEach((k, t) -> { if (t != null) own.put(prefix + k, t); });
            m.buffers.forEach((k, t) -> { if (t != null && !m.nonPersistent.contains(k)) own.put(prefix + k, t); });
        }
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        List<String> errors = new ArrayList<>();
        if (strict && !missing.isEmpty()) errors.add("Missing key(s) in state_dict: " + missing);
        if (strict && !unexpected.isEmpty()) errors.add("Unexpected key(s) in state_dict: " + unexpected);
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shape(), e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape " + Arrays.toString(src.shape())
                        + " from checkpoint, the shape in current model is " + Arrays.toString(e.getValue().shape()));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (var _ = Sinter.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    // ------------------------------------------------------------------ printing

    /** The text inside this module's parentheses in {@link #toString()} (PyTorch's extra_repr). */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch-style module tree. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        String extra = extraRepr();
        if (children.isEmpty()) return name + "(" + extra + ")";
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extra.isEmpty()) sb.append("\n  ").append(extra);
        children.forEach((k, c) -> {
            String child = c == null ? "None" : c.toString().replace("\n", "\n  ");
            sb.append("\n  (").append(k).append("): ").append(child);
        });
        return sb.append("\n)").toString();
    }
}
