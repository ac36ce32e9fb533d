package org.sinter.compress.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * Iterative magnitude pruning with weight rewinding (Frankle and Carbin, "The Lottery Ticket
 * Hypothesis", 2019; rewinding to an early iterate as in Frankle et al., "Linear Mode Connectivity
 * and the Lottery Ticket Hypothesis", 2020): train, prune the smallest {@code rate} of the surviving
 * weights (globally), reset every surviving weight (and the rest of the model's state) to its value
 * at the rewind point, and train again under the mask.
 *
 * <pre>{@code
 * LotteryTicket ticket = new LotteryTicket(model, PruneTarget.weightsOf(model));
 * train(model, k steps); ticket.rewindPoint();
 * for (int round = 0; round < rounds; round++) {
 *     train(model, to the end, calling ticket.pruner().applyMasks() after each step);
 *     ticket.pruneAndRewind(0.2);
 * }
 * }</pre>
 */
public final class LotteryTicket {
    private final Module model;
    private final List<PruneTarget> targets;
    private final Pruner pruner = new Pruner();
    private Map<String, Tensor> rewind;

    public LotteryTicket(Module model, List<PruneTarget> targets) {
        if (targets.isEmpty()) throw new IllegalArgumentException("lottery ticket: no parameters to prune");
        this.model = model;
        this.targets = List.copyOf(targets);
    }

    /** Remembers the model's current state (parameters and buffers) as the point to rewind to. */
    public void rewindPoint() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        rewind = copy;
    }

    /** The pruner holding the masks: call its {@code applyMasks()} after every optimizer step. */
    public Pruner pruner() {
        return pruner;
    }

    /** Prunes {@code rate} of the surviving weights by magnitude (globally) and rewinds the survivors. */
    public void pruneAndRewind(double rate) {
        if (rewind == null) throw new IllegalStateException("lottery ticket: call rewindPoint() before pruneAndRewind()");
        pruner.globalUnstructured(targets, rate);
        model.loadStateDict(rewind, true);
        pruner.applyMasks();
    }

    /** The fraction of the targets' weights pruned so far. */
    public double sparsity() {
        long n = 0, zeros = 0;
        for (PruneTarget t : targets) {
            n += t.parameter().numel();
            if (pruner.isPrunedParameter(t)) for (float m : pruner.mask(t.module(), t.name()).toFloatArray()) if (m == 0f) zeros++;
        }
        return n == 0 ? 0 : zeros / (double) n;
    }
}
