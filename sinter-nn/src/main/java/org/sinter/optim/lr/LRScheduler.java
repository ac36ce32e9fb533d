package org.sinter.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.io.Stateful;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * Base of the epoch-based learning-rate schedulers (PyTorch's {@code _LRScheduler}). Building
 * one records each group's {@code initial_lr} (the base learning rate) and performs the initial
 * step, so the optimizer holds the rate of epoch 0. Call {@link #step()} once per epoch (or per
 * batch, for per-iteration schedules), after {@code optimizer.step()}.
 *
 * <p>Each scheduler computes the next rate from the current one, as PyTorch's chainable form
 * does, so several schedulers may act on the same optimizer; {@link #step(int)} jumps to an epoch
 * with the closed form where one exists.
 */
public abstract class LRScheduler implements Stateful {
    protected final Optimizer optimizer;
    protected final double[] baseLrs;
    /** The index of the current epoch (-1 before the initial step). */
    protected int lastEpoch;
    private double[] lastLr;

    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (lastEpoch == -1) {
                if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            } else if (!g.has("initial_lr")) {
                throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i + "] when resuming an optimizer");
            }
            baseLrs[i] = g.getDouble("initial_lr");
        }
        this.lastEpoch = lastEpoch;
    }

    /** Performs the construction-time step; subclasses call it at the end of their constructor. */
    protected final void initialStep() {
        step();
    }

    /** The rates for {@link #lastEpoch}, from the groups' current rates (PyTorch's get_lr). */
    protected abstract double[] computeLr();

    /** The rates for {@link #lastEpoch} from the base rates alone, or null where there is no closed form. */
    protected double[] closedFormLr() {
        return null;
    }

    /** Advances one epoch and sets the groups' learning rates. */
    public void step() {
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to {@code epoch} (closed form where available, like PyTorch's deprecated step(epoch)). */
    public void step(int epoch) {
        lastEpoch = epoch;
        double[] lrs = closedFormLr();
        apply(lrs != null ? lrs : computeLr());
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(lrs[i]);
        lastLr = lrs.clone();
    }

    /** The rates set by the last step, one per group. */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /** The groups' current rates. */
    protected double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) out[i] = groups.get(i).lr();
        return out;
    }

    /** Schedulers hold no tensors. */
    @Override
    public Map<String, Tensor> stateTensors() {
        return Map.of();
    }

    /** The scheduler's position for checkpoints ({@code last_epoch}, {@code base_lrs}, {@code last_lr}). */
    @Override
    public Map<String, Object> stateValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("last_epoch", (long) lastEpoch);
        out.put("base_lrs", toList(baseLrs));
        if (lastLr != null) out.put("last_lr", toList(lastLr));
        return out;
    }

    /** Restores {@link #stateValues()}. */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
        lastEpoch = ((Number) values.get("last_epoch")).intValue();
        List<?> base = (List<?>) values.get("base_lrs");
        for (int i = 0; i < baseLrs.length; i++) baseLrs[i] = ((Number) base.get(i)).doubleValue();
        List<?> last = (List<?>) values.get("last_lr");
        if (last != null) {
            lastLr = new double[last.size()];
            for (int i = 0; i < lastLr.length; i++) lastLr[i] = ((Number) last.get(i)).doubleValue();
        }
    }

    private static List<Double> toList(double[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
