package org.sinter.distributed.ddp;

import java.util.List;
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
    /** {@code bucketIndex} is the bucket's position in reduction order, the same on every rank and iteration. */
    CompletableFuture<Tensor> apply(ProcessGroup group, int bucketIndex, Tensor bucket);

    /**
     * What each bucket holds, told once when the hook is registered: hooks that compress per
     * matrix (PowerSGD) need the gradients' shapes; the others ignore it.
     */
    default void onBuckets(List<BucketLayout> layouts) {}

    /** The shapes of a bucket's gradients, in the order they lie in its flat tensor. */
    record BucketLayout(int index, List<int[]> shapes) {
        public BucketLayout {
            shapes = List.copyOf(shapes);
        }
    }

    /** The default: divide by the world size, all-reduce the sum (PyTorch's {@code allreduce_hook}). */
    static CommHook allReduce() {
        return (group, index, bucket) -> {
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
        return (group, index, bucket) -> {
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

    /**
     * The course's 8-bit float compression through all-gather (Lab 4): each rank scales its
     * bucket by max|g| / 448 into {@link Float8}'s range, encodes one byte per value (packed four
     * to an int32 with the scale in front), all-gathers the bytes, and decodes and averages every
     * rank's values in rank order, so all ranks get the same average at a quarter of float32's bytes
     * (all-gather moves (n−1)/n of every rank's bytes, where all-reduce moves 2(n−1)/n of one).
     */
    static CommHook float8AllGather() {
        return (group, index, bucket) -> {
            float[] g = bucket.to(DType.FLOAT32).toFloatArray();
            float max = 0;
            for (float v : g) max = Math.max(max, Math.abs(v));
            float scale = max == 0 ? 1 : max / Float8.MAX;
            int words = 1 + (g.length + 3) / 4;
            int[] packed = new int[words];
            packed[0] = Float.floatToRawIntBits(scale);
            for (int i = 0; i < g.length; i++) packed[1 + i / 4] |= (Float8.encode(g[i] / scale) & 0xff) << (8 * (i % 4));
            Tensor mine = Tensor.of(packed, words);
            Tensor all = Tensor.zeros(DType.INT32, words * group.size());
            return group.allGatherIntoTensorAsync(all, mine).future().thenApply(v -> {
                int[] got = all.toIntArray();
                float[] avg = new float[g.length];
                for (int r = 0; r < group.size(); r++) {
                    float s = Float.intBitsToFloat(got[r * words]);
                    for (int i = 0; i < g.length; i++) avg[i] += Float8.decode((byte) (got[r * words + 1 + i / 4] >>> (8 * (i % 4)))) * s;
                }
                for (int i = 0; i < avg.length; i++) avg[i] /= group.size();
                return Tensor.of(avg, avg.length).to(bucket.dtype());
            });
        };
    }
}
