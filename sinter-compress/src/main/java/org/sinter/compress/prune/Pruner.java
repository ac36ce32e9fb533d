package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * Magnitude pruning with masks kept beside the weights (PyTorch's {@code torch.nn.utils.prune}, with
 * the same functions, amounts and repeated-pruning rules).
 *
 * <p>Sinter's modules have no forward pre-hooks, so instead of recomputing {@code weight_orig * mask}
 * in every forward, the pruner keeps the weight itself masked: it multiplies the mask in when it
 * prunes, a gradient hook multiplies it into the weight's gradient (no gradient reaches a pruned
 * weight, as through PyTorch's product), and {@link #applyMasks()} re-applies it after an optimizer
 * step (momentum or Adam's moments could otherwise move a pruned weight). The forward of a pruned
 * module therefore sees exactly PyTorch's {@code weight_orig * mask}. {@link #remove} drops the
 * mask and the hook and leaves the pruned weight as an ordinary parameter.
 */
public final class Pruner {
    /** A pruned parameter: its mask (in the parameter's dtype) and the gradient hook applying it. */
    private record Entry(Tensor parameter, Tensor mask, Tensor.RemovableHandle hook) {}

    // Modules compare by identity (Module keeps Object.equals); insertion order is the order of first pruning.
    private final Map<Module, Map<String, Entry>> entries = new LinkedHashMap<>();

    // ------------------------------------------------------------------ PyTorch's functions

    /** Prunes the {@code amount} fraction of entries of smallest magnitude ({@code prune.l1_unstructured}). */
    public Tensor l1Unstructured(Module module, String name, double amount) {
        return apply(new PruneTarget(module, name), new L1Unstructured(PruneAmount.fraction(amount)));
    }

    /** Prunes {@code count} entries of smallest magnitude. */
    public Tensor l1Unstructured(Module module, String name, int count) {
        return apply(new PruneTarget(module, name), new L1Unstructured(PruneAmount.count(count)));
    }

    /** Prunes whole slices along {@code dim} of smallest L{@code n} norm ({@code prune.ln_structured}). */
    public Tensor lnStructured(Module module, String name, double amount, double n, int dim) {
        return apply(new PruneTarget(module, name), new LnStructured(PruneAmount.fraction(amount), n, dim));
    }

    public Tensor lnStructured(Module module, String name, int count, double n, int dim) {
        return apply(new PruneTarget(module, name), new LnStructured(PruneAmount.count(count), n, dim));
    }

    /** Applies a mask given from outside, combined with any earlier one ({@code prune.custom_from_mask}). */
    public Tensor customFromMask(Module module, String name, Tensor mask) {
        PruneTarget target = new PruneTarget(module, name);
        checkSameShape(target, mask, "custom_from_mask");
        return apply(target, new CustomMask(mask.toFloatArray()));
    }

    /**
     * Prunes the smallest-magnitude {@code amount} of all the targets' entries taken together, so
     * that layers end up with different sparsities ({@code prune.global_unstructured} with
     * {@code L1Unstructured}).
     */
    public void globalUnstructured(List<PruneTarget> targets, double amount) {
        global(targets, new L1Unstructured(PruneAmount.fraction(amount)));
    }

    public void globalUnstructured(List<PruneTarget> targets, int count) {
        global(targets, new L1Unstructured(PruneAmount.count(count)));
    }

    private void global(List<PruneTarget> targets, PruningMethod method) {
        if (targets.isEmpty()) throw new IllegalArgumentException("global_unstructured: no parameters to prune");
        int total = 0;
        for (PruneTarget t : targets) total += Math.toIntExact(t.parameter().numel());
        double[] scores = new double[total];
        float[] oldMask = new float[total];
        int at = 0;
        for (PruneTarget t : targets) {
            double[] w = t.parameter().toDoubleArray();
            System.arraycopy(w, 0, scores, at, w.length);
            Tensor m = maskOrNull(t);
            if (m == null) java.util.Arrays.fill(oldMask, at, at + w.length, 1f);
            else System.arraycopy(m.toFloatArray(), 0, oldMask, at, w.length);
            at += w.length;
        }
        float[] mask = MaskCombiner.combine(method, scores, new int[] {total}, oldMask);
        at = 0;
        for (PruneTarget t : targets) {
            int n = Math.toIntExact(t.parameter().numel());
            float[] part = java.util.Arrays.copyOfRange(mask, at, at + n);
            install(t, Tensor.of(part, t.parameter().shape()));
            at += n;
        }
    }

    /** Prunes one parameter with any method, on top of its current mask. Returns the new mask. */
    public Tensor apply(PruneTarget target, PruningMethod method) {
        Tensor p = target.parameter();
        Tensor old = maskOrNull(target);
        float[] mask = MaskCombiner.combine(method, p.toDoubleArray(), p.shape(), old == null ? null : old.toFloatArray());
        return install(target, Tensor.of(mask, p.shape()));
    }

    // ------------------------------------------------------------------ state

    /** The current 0/1 mask of a pruned parameter (PyTorch's {@code weight_mask}); an error when it is not pruned. */
    public Tensor mask(Module module, String name) {
        Tensor m = maskOrNull(new PruneTarget(module, name));
        if (m == null) throw new IllegalArgumentException("prune: parameter '" + name + "' of " + module.getClass().getSimpleName() + " is not pruned");
        return m;
    }

    /** Whether any parameter of {@code module} or its descendants is pruned ({@code prune.is_pruned}). */
    public boolean isPruned(Module module) {
        for (Module m : module.modules()) if (entries.containsKey(m) && !entries.get(m).isEmpty()) return true;
        return false;
    }

    /** Whether this parameter carries a mask. */
    public boolean isPrunedParameter(PruneTarget target) {
        return maskOrNull(target) != null;
    }

    /** All pruned parameters, in the order they were first pruned. */
    public List<PruneTarget> targets() {
        List<PruneTarget> out = new ArrayList<>();
        entries.forEach((m, byName) -> byName.keySet().forEach(n -> out.add(new PruneTarget(m, n))));
        return out;
    }

    /** Makes the pruning permanent: the masked weight stays, the mask and its gradient hook go ({@code prune.remove}). */
    public void remove(Module module, String name) {
        Map<String, Entry> byName = entries.get(module);
        Entry e = byName == null ? null : byName.remove(name);
        if (e == null) {
            throw new IllegalArgumentException("prune: parameter '" + name + "' of " + module.getClass().getSimpleName()
                    + " has to be pruned before pruning can be removed");
        }
        e.hook().remove();
        if (byName.isEmpty()) entries.remove(module);
    }

    /** Removes every mask (each pruned weight keeps its zeros). */
    public void removeAll() {
        for (PruneTarget t : targets()) remove(t.module(), t.name());
    }

    /** Multiplies every mask into its weight again; call after each optimizer step. */
    public void applyMasks() {
        try (var _ = Sinter.noGrad()) {
            for (Map<String, Entry> byName : entries.values()) for (Entry e : byName.values()) e.parameter().mul_(e.mask());
        }
    }

    private Tensor maskOrNull(PruneTarget target) {
        Map<String, Entry> byName = entries.get(target.module());
        Entry e = byName == null ? null : byName.get(target.name());
        return e == null ? null : e.mask();
    }

    private Tensor install(PruneTarget target, Tensor mask) {
        Tensor p = target.parameter();
        DType dtype = p.dtype();
        Tensor m = mask.to(dtype);
        Map<String, Entry> byName = entries.computeIfAbsent(target.module(), k -> new LinkedHashMap<>());
        Entry old = byName.get(target.name());
        Tensor.RemovableHandle hook;
        if (old != null) {
            old.hook().remove();
        }
        hook = p.requiresGrad() ? p.registerHook(g -> g.mul(m)) : () -> {};
        byName.put(target.name(), new Entry(p, m, hook));
        try (var _ = Sinter.noGrad()) {
            p.mul_(m);
        }
        return m;
    }

    private static void checkSameShape(PruneTarget target, Tensor mask, String op) {
        if (!java.util.Arrays.equals(mask.shape(), target.parameter().shape())) {
            throw new IllegalArgumentException(op + ": mask of shape " + java.util.Arrays.toString(mask.shape()) + " for " + target
                    + " of shape " + java.util.Arrays.toString(target.parameter().shape()));
        }
    }
}
