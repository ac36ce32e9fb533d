package org.sinter.distributed.tensor;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.nn.Module;

/** Helpers shared by the tensor-parallel layers. */
final class Shards {
    private Shards() {}

    /** Makes every rank's copy of {@code full} rank 0's, so the shards cut from it fit together. */
    static <M extends Module> M broadcastFromRankZero(M full, ProcessGroup group) {
        try (var _ = Sinter.noGrad()) {
            for (Tensor p : full.parameters()) {
                Tensor c = p.contiguous().clone();
                group.broadcast(c, 0);
                p.copy_(c);
            }
        }
        return full;
    }
}
