package org.sinter.distributed.ddp;

import java.util.List;
import org.sinter.Tensor;
import java.util.concurrent.CompletableFuture;

/**
 * Gradients reduced together: parameters of one dtype, in the order backward usually completes
 * them (reverse registration order), copied into one flat tensor so that one all-reduce carries
 * them. {@code pending} counts the parameters whose gradient is not ready yet this iteration.
 */
final class Bucket {
    final int index;
    final List<Integer> params;
    final long[] offsets;
    final Tensor flat;
    int pending;
    /** When the first gradient of this iteration arrived (for the timeline). */
    long firstReadyNanos;
    /** The bucket's average over ranks, once its communication hook completes. */
    CompletableFuture<Tensor> reduced;

    Bucket(int index, List<Integer> params, long[] offsets, Tensor flat) {
        this.index = index;
        this.params = params;
        this.offsets = offsets;
        this.flat = flat;
        this.pending = params.size();
    }
}
