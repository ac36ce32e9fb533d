package org.sinter.distributed.ddp;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;

/**
 * Top-k sparsification with error feedback (Lab 4; Stich et al., "Sparsified SGD with memory"):
 * each rank adds the residual it kept from earlier steps to its bucket, sends only the k entries
 * of largest magnitude (indices and values, through an all-gather), and keeps the rest as the new
 * residual, so nothing is dropped, only delayed. Every rank sums the same gathered entries in rank
 * order, so replicas stay identical. One hook instance per DDP model: it holds the residuals.
 */
public final class TopKHook implements CommHook {
    private final double ratio;
    private final Map<Integer, float[]> residuals = new HashMap<>();

    /** Sends {@code ratio} of each bucket's entries (at least one). */
    public TopKHook(double ratio) {
        if (!(ratio > 0 && ratio <= 1)) throw new IllegalArgumentException("TopKHook: ratio must be in (0, 1], got " + ratio);
        this.ratio = ratio;
    }

    /** The residual kept for a bucket: what it has not sent yet. */
    public float[] residual(int bucketIndex) {
        float[] r = residuals.get(bucketIndex);
        return r == null ? null : r.clone();
    }

    @Override
    public CompletableFuture<Tensor> apply(ProcessGroup group, int key, Tensor bucket) {
        float[] g = bucket.to(DType.FLOAT32).toFloatArray();
        float[] res = residuals.computeIfAbsent(key, k -> new float[g.length]);
        if (res.length != g.length) throw new IllegalStateException("TopKHook: bucket " + key + " changed size; use one hook per model");
        for (int i = 0; i < g.length; i++) g[i] += res[i];
        int k = Math.max(1, (int) Math.ceil(ratio * g.length));
        int[] top = largest(g, Math.min(k, g.length));
        int[] idx = new int[k];
        float[] val = new float[k];
        System.arraycopy(g, 0, res, 0, g.length);
        for (int j = 0; j < top.length; j++) {
            idx[j] = top[j];
            val[j] = g[top[j]];
            res[top[j]] = 0;
        }
        for (int j = top.length; j < k; j++) idx[j] = -1; // a bucket smaller than k: padding
        Tensor allIdx = Tensor.zeros(DType.INT32, k * group.size());
        Tensor allVal = Tensor.zeros(DType.FLOAT32, k * group.size());
        group.allGatherIntoTensorAsync(allIdx, Tensor.of(idx, k));
        return group.allGatherIntoTensorAsync(allVal, Tensor.of(val, k)).future().thenApply(v -> {
            int[] is = allIdx.toIntArray();
            float[] vs = allVal.toFloatArray();
            float[] sum = new float[g.length];
            for (int j = 0; j < is.length; j++) if (is[j] >= 0) sum[is[j]] += vs[j];
            for (int i = 0; i < sum.length; i++) sum[i] /= group.size();
            return Tensor.of(sum, sum.length).to(bucket.dtype());
        });
    }

    /** Indices of the k entries of largest magnitude (ties: lower index first). */
    static int[] largest(float[] g, int k) {
        Integer[] order = new Integer[g.length];
        for (int i = 0; i < g.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(Math.abs(g[b]), Math.abs(g[a]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int j = 0; j < k; j++) out[j] = order[j];
        return out;
    }
}
