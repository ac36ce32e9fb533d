package org.sinter.distributed.ddp;

import java.util.concurrent.CompletableFuture;
import org.sinter.DType;
import org.sinter.GradMode;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;

/**
 * How DDP reduces one bucket (PyTorch's communication hooks, {@code register_comm_hook}): given
 * the bucket's flat gradient (this rank's sum), start the reduction and complete the future with
 * the average over ranks, in the bucket's dtype and size. Runs on the training thread during
 * backward; the future may complete on the group's thread.
 */
@FunctionalInterface
public interface CommHook {
    CompletableFuture<Tensor> apply(ProcessGroup group, Tensor bucket);

    /** The default: divide by the world size, all-reduce the sum (PyTorch's {@code allreduce_hook}). */
    static CommHook allReduce() {
        return (group, bucket) -> {
            try (var _ = GradMode.set(false)) {
                bucket.div_(group.size());
            }
            return group.allReduceAsync(bucket, ReduceOp.SUM).future().thenApply(v -> bucket);
        };
    }

    /**
     * Halves the bytes on the wire (PyTorch's {@code fp16_compress_hook}): the bucket is cast to
     * float16, divided by the world size, all-reduced in float16 and cast back.
     */
    static CommHook fp16Compress() {
        return (group, bucket) -> {
            Tensor half;
            try (var _ = GradMode.set(false)) {
                half = bucket.to(DType.FLOAT16).div_(group.size());
            }
            return group.allReduceAsync(half, ReduceOp.SUM).future().thenApply(v -> {
                try (var _ = GradMode.set(false)) {
                    return half.to(bucket.dtype());
                }
            });
        };
    }
}
