package org.sinter.distributed.ddp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.sinter.DType;
import org.sinter.GradMode;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;

/**
 * PowerSGD gradient compression (Vogels et al., NeurIPS 2019; PyTorch's {@code powerSGD_hook}):
 * each gradient matrix M (n × m, a weight's gradient viewed as its first dimension by the rest) is
 * sent as two thin factors of rank r: P = M Q is all-reduced and orthogonalised, Q = Mᵀ P is
 * all-reduced and averaged, and every rank decompresses P Qᵀ, about r(n + m) values instead of
 * n m. One power-iteration step per training step, with Q kept from the previous step (warm start),
 * converges to the best rank-r approximation of the averaged gradient as training goes on.
 *
 * <p>Vectors (biases) and matrices that would not shrink at least {@code minCompressionRate} times
 * are all-reduced uncompressed, in one tensor per bucket. With error feedback (on by default, as in
 * the paper) each rank keeps what the reduced bucket missed of its own gradient and adds it to the
 * next one. The first {@code startIteration} steps are plain all-reduce, as PyTorch's
 * {@code start_powerSGD_iter} (compressing the noisy first steps hurts accuracy). One hook instance
 * per DDP model: it holds the factors and the residuals.
 */
public final class PowerSgdHook implements CommHook {
    private final int rank;
    private final int startIteration;
    private final double minCompressionRate;
    private final boolean errorFeedback;
    private final boolean warmStart;
    private final long seed;
    private final Map<Integer, BucketLayout> layouts = new HashMap<>();
    /** Per bucket, which of its gradients travel as factors (decided once from the shapes). */
    private final Map<Integer, boolean[]> compressed = new HashMap<>();
    private final Map<Integer, Integer> iterations = new HashMap<>();
    private final Map<Integer, Tensor> errors = new HashMap<>();
    private final Map<Integer, List<Tensor>> qs = new HashMap<>();
    // Counted on the training thread and on the group's thread (the futures' continuations).
    private final LongAdder sentElements = new LongAdder();
    private final LongAdder denseElements = new LongAdder();

    /** Rank {@code rank}, compressing from the first step, with error feedback and warm start. */
    public PowerSgdHook(int rank) {
        this(rank, 0, 2.0, true, true, 0);
    }

    public PowerSgdHook(int rank, int startIteration, double minCompressionRate, boolean errorFeedback, boolean warmStart, long seed) {
        if (rank < 1) throw new IllegalArgumentException("PowerSgdHook: rank must be at least 1, got " + rank);
        if (startIteration < 0) throw new IllegalArgumentException("PowerSgdHook: startIteration must be >= 0, got " + startIteration);
        if (!(minCompressionRate >= 0)) throw new IllegalArgumentException("PowerSgdHook: minCompressionRate must be >= 0, got " + minCompressionRate);
        this.rank = rank;
        this.startIteration = startIteration;
        this.minCompressionRate = minCompressionRate;
        this.errorFeedback = errorFeedback;
        this.warmStart = warmStart;
        this.seed = seed;
    }

    @Override
    public void onBuckets(List<BucketLayout> all) {
        layouts.clear();
        compressed.clear();
        for (BucketLayout l : all) {
            layouts.put(l.index(), l);
            boolean[] c = new boolean[l.shapes().size()];
            for (int k = 0; k < c.length; k++) {
                int[] shape = l.shapes().get(k);
                long n = 1;
                for (int d : shape) n *= d;
                c[k] = shape.length >= 2 && n > 0 && shouldCompress(shape[0], (int) (n / shape[0]));
            }
            compressed.put(l.index(), c);
        }
    }

    /** Elements this rank has put on the wire per all-reduce so far, and what plain all-reduce would have sent. */
    public long sentElements() { return sentElements.sum(); }
    public long denseElements() { return denseElements.sum(); }

    /** The residual kept for a bucket (null before its first compressed step or without error feedback). */
    public Tensor error(int bucketIndex) {
        Tensor e = errors.get(bucketIndex);
        return e == null ? null : e.clone();
    }

    @Override
    public CompletableFuture<Tensor> apply(ProcessGroup group, int index, Tensor bucket) {
        BucketLayout layout = layouts.get(index);
        if (layout == null) throw new IllegalStateException("PowerSgdHook: no layout for bucket " + index + "; register it with DistributedDataParallel.registerCommHook");
        int iteration = iterations.merge(index, 1, Integer::sum) - 1;
        denseElements.add(bucket.numel());
        if (iteration < startIteration) {
            sentElements.add(bucket.numel());
            return CommHook.allReduce().apply(group, index, bucket);
        }
        try (var _ = GradMode.set(false)) {
            Tensor input = bucket.to(DType.FLOAT32).contiguous().clone();
            if (errorFeedback) {
                Tensor e = errors.get(index);
                if (e != null) input.add_(e);
            }
            Tensor target = input.clone(); // what this rank wanted to send, for the residual
            List<Tensor> matrices = new ArrayList<>();
            List<Tensor> dense = new ArrayList<>();
            boolean[] asFactors = compressed.get(index);
            long off = 0;
            for (int k = 0; k < asFactors.length; k++) {
                int[] shape = layout.shapes().get(k);
                long n = 1;
                for (int d : shape) n *= d;
                Tensor slice = input.narrow(0, (int) off, (int) n);
                off += n;
                if (asFactors[k]) matrices.add(slice.view(shape[0], (int) (n / shape[0])));
                else dense.add(slice);
            }
            if (off != bucket.numel()) throw new IllegalStateException("PowerSgdHook: bucket " + index + " holds " + bucket.numel() + " values, its layout " + off);
            List<Tensor> q = factorsQ(index, matrices);
            // Uncompressed part and P factors travel in one all-reduce; Q factors in a second.
            Tensor denseFlat = dense.isEmpty() ? Tensor.zeros(DType.FLOAT32, 0) : Tensor.cat(dense.stream().map(t -> t.reshape(-1)).toList(), 0);
            List<Tensor> ps = new ArrayList<>();
            for (int i = 0; i < matrices.size(); i++) ps.add(matrices.get(i).mm(q.get(i)));
            Tensor first = concat(denseFlat, ps);
            sentElements.add(first.numel());
            return group.allReduceAsync(first, ReduceOp.SUM).future().thenCompose(v1 -> {
                try (var _ = GradMode.set(false)) {
                    long o = denseFlat.numel();
                    List<Tensor> pOrth = new ArrayList<>();
                    for (Tensor p : ps) {
                        Tensor reduced = first.narrow(0, (int) o, (int) p.numel()).view(p.shape()).clone();
                        o += p.numel();
                        pOrth.add(orthogonalize(reduced));
                    }
                    List<Tensor> newQ = new ArrayList<>();
                    for (int i = 0; i < matrices.size(); i++) newQ.add(matrices.get(i).t().mm(pOrth.get(i)));
                    Tensor second = concat(Tensor.zeros(DType.FLOAT32, 0), newQ);
                    sentElements.add(second.numel());
                    return group.allReduceAsync(second, ReduceOp.SUM).future().thenApply(v2 -> {
                        try (var _ = GradMode.set(false)) {
                            return decompress(group, index, layout, target, first.narrow(0, 0, (int) denseFlat.numel()), second, pOrth, newQ, bucket.dtype());
                        }
                    });
                }
            });
        }
    }

    private boolean shouldCompress(int rows, int cols) {
        long r = Math.min(rank, Math.min(rows, cols));
        return (long) rows * cols > minCompressionRate * r * (rows + cols);
    }

    /** The Q factors of a bucket's matrices: kept from the last step (warm start) or fresh, seeded alike on every rank. */
    private List<Tensor> factorsQ(int index, List<Tensor> matrices) {
        List<Tensor> kept = qs.get(index);
        if (warmStart && kept != null && kept.size() == matrices.size()) return kept;
        Generator g = new Generator(seed * 1_000_003L + index * 7919L + iterations.get(index));
        List<Tensor> fresh = new ArrayList<>();
        for (Tensor m : matrices) fresh.add(orthogonalize(g.randn(DType.FLOAT32, m.shape()[1], Math.min(rank, Math.min(m.shape()[0], m.shape()[1])))));
        return fresh;
    }

    private Tensor decompress(ProcessGroup group, int index, BucketLayout layout, Tensor target, Tensor denseSum,
                              Tensor qSum, List<Tensor> pOrth, List<Tensor> newQ, DType dtype) {
        int world = group.size();
        Tensor out = Tensor.zeros(DType.FLOAT32, (int) target.numel());
        List<Tensor> q = new ArrayList<>();
        long o = 0;
        for (Tensor nq : newQ) {
            q.add(qSum.narrow(0, (int) o, (int) nq.numel()).view(nq.shape()).div(world).contiguous());
            o += nq.numel();
        }
        boolean[] asFactors = compressed.get(index);
        long off = 0, denseOff = 0;
        int m = 0;
        for (int k = 0; k < asFactors.length; k++) {
            long n = 1;
            for (int d : layout.shapes().get(k)) n *= d;
            Tensor slot = out.narrow(0, (int) off, (int) n);
            if (asFactors[k]) {
                slot.copy_(pOrth.get(m).mm(q.get(m).t()).reshape(-1));
                m++;
            } else {
                slot.copy_(denseSum.narrow(0, (int) denseOff, (int) n).div(world));
                denseOff += n;
            }
            off += n;
        }
        if (warmStart) qs.put(index, q);
        if (errorFeedback) errors.put(index, target.sub(out));
        return out.to(dtype);
    }

    private static Tensor concat(Tensor head, List<Tensor> parts) {
        List<Tensor> all = new ArrayList<>();
        all.add(head);
        for (Tensor p : parts) all.add(p.reshape(-1));
        return Tensor.cat(all, 0).contiguous();
    }

    /**
     * Orthonormal columns by Gram-Schmidt, in place of a QR (r is small). Each projection runs twice
     * ("twice is enough", Giraud et al.) in double precision: a column that is nearly dependent on
     * the earlier ones, as the last layer's rank-deficient gradient makes it, must still come out
     * orthogonal to them, or P Pᵀ stops being a projection. A zero column stays zero.
     */
    public static Tensor orthogonalize(Tensor matrix) {
        int rows = matrix.shape()[0], cols = matrix.shape()[1];
        float[] in = matrix.contiguous().toFloatArray();
        double[] a = new double[in.length];
        for (int i = 0; i < in.length; i++) a[i] = in[i];
        for (int j = 0; j < cols; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < rows; i++) dot += a[i * cols + j] * a[i * cols + k];
                    for (int i = 0; i < rows; i++) a[i * cols + j] -= dot * a[i * cols + k];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) norm += a[i * cols + j] * a[i * cols + j];
            norm = Math.sqrt(norm);
            for (int i = 0; i < rows; i++) a[i * cols + j] = norm > 1e-30 ? a[i * cols + j] / norm : 0;
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
        return Tensor.of(out, rows, cols);
    }
}
