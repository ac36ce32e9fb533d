package org.sinter.distributed.fsdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Which unit's parameters to all-gather ahead of time, shared by the fully sharded units of one
 * model: PyTorch FSDP's {@code forward_prefetch=True} (while unit k computes its forward, gather
 * unit k + 1) and {@code backward_prefetch=BACKWARD_PRE} (as unit k's backward starts, gather unit
 * k − 1, the next one backward reaches). The gather runs on the group's communication thread while
 * the current unit computes, so at most two units are gathered at once instead of one.
 *
 * <p>The order is the one the units ran in during the first forward (as PyTorch FSDP records it),
 * so forward prefetch starts with the second step; backward prefetch already works in the first
 * backward. Every rank runs the same units in the same order, so every rank issues the same
 * gathers in the same order. A unit gathered ahead but not run next keeps its parameters until it
 * runs; if its shard changed meanwhile (an optimizer step), it is gathered again then.
 */
public final class Prefetch {
    private final boolean forward;
    private final boolean backward;
    private final List<FullyShardedDataParallel> order = new ArrayList<>();

    private Prefetch(boolean forward, boolean backward) {
        this.forward = forward;
        this.backward = backward;
    }

    /** Gathers each unit on demand only (the default). */
    public static Prefetch none() { return new Prefetch(false, false); }

    /** Prefetches in forward, in backward, or both. */
    public static Prefetch of(boolean forward, boolean backward) { return new Prefetch(forward, backward); }

    public boolean forward() { return forward; }
    public boolean backward() { return backward; }

    /** Records {@code unit}'s forward and returns the unit to gather while it runs, or null. */
    FullyShardedDataParallel nextInForward(FullyShardedDataParallel unit) {
        int i = indexOf(unit);
        if (i < 0) {
            order.add(unit);
            return null;
        }
        return forward && i + 1 < order.size() ? order.get(i + 1) : null;
    }

    /** The unit backward reaches after {@code unit} (the one before it in forward), or null. */
    FullyShardedDataParallel nextInBackward(FullyShardedDataParallel unit) {
        int i = indexOf(unit);
        return backward && i > 0 ? order.get(i - 1) : null;
    }

    private int indexOf(FullyShardedDataParallel unit) {
        for (int i = 0; i < order.size(); i++) if (order.get(i) == unit) return i;
        return -1;
    }
}
