package org.sinter.nn.functional;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;
import org.sinter.ops.Copy;
import org.sinter.ops.Op;

/**
 * Embedding lookup as a pair of operators that are each other's gradients: the lookup copies
 * weight rows ({@code out[i] = weight[idx[i]]}); its gradient adds rows back
 * ({@code gw[idx[i]] += g[i]}, skipping {@code padding_idx}), whose gradient is the lookup again
 * with padding positions zeroed.
 */
final class EmbeddingOps {
    private EmbeddingOps() {}

    static Tensor embedding(Tensor weight, Tensor indices, int paddingIdx) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("embedding: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got "
                    + indices.dtype().torchName() + " instead");
        }
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding: 'weight' must be 2-D, got " + Arrays.toString(weight.shape()));
        int v = weight.size(0);
        int pad = paddingIdx;
        if (pad != NO_PADDING) {
            if (pad >= v || pad < -v) {
                throw new IllegalArgumentException("embedding: Padding_idx must be within num_embeddings, got " + paddingIdx + " for " + v + " embeddings");
            }
            if (pad < 0) pad += v;
        }
        return Dispatch.apply1(new LookupOp(pad, false), weight, indices);
    }

    /** Marks "no padding index" (PyTorch's None). */
    static final int NO_PADDING = Integer.MIN_VALUE;

    static long[] indexValues(Tensor idx, int bound) {
        long[] out = Copy.dense(idx, DType.INT64).toLongArray();
        for (long k : out) {
            if (k < 0 || k >= bound) throw new IndexOutOfBoundsException("embedding: index " + k + " is out of range for " + bound + " embeddings");
        }
        return out;
    }

    /** {@code out[..., :] = weight[idx[...], :]}; with {@code zeroPadding}, rows at padding_idx read as 0. */
    static final class LookupOp extends Op {
        final int pad;
        final boolean zeroPadding;

        LookupOp(int pad, boolean zeroPadding) {
            this.pad = pad;
            this.zeroPadding = zeroPadding;
        }

        @Override public String name() { return "embedding"; }

        @Override public Map<String, Object> attributes() { return Map.of("padding_idx", pad == NO_PADDING ? "None" : pad); }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor w = Copy.dense(in[0], in[0].dtype());
            int v = w.size(0), d = w.size(1);
            long[] idx = indexValues(in[1], v);
            int[] shape = Arrays.copyOf(in[1].shape(), in[1].dim() + 1);
            shape[in[1].dim()] = d;
            Tensor out = Tensor.empty(w.dtype(), shape);
            Object src = w.storage().array(), dst = out.storage().array();
            int off = w.storageOffset();
            Parallel.forRange(idx.length, Math.max(1, 4096 / Math.max(1, d)), (s, e) -> {
                for (int i = s; i < e; i++) {
                    if (zeroPadding && idx[i] == pad) continue;
                    System.arraycopy(src, off + (int) idx[i] * d, dst, i * d, d);
                }
            });
            return new Tensor[] {out};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            int[] ws = ctx.inputShape(0);
            Tensor gw = Dispatch.apply1(new DenseBackwardOp(pad, ws[0]), grads[0], ctx.input(1));
            return new Tensor[] {gw, null};
        }
    }

    /** {@code gw[idx[i], :] += g[i, :]} into zeros of {@code [numWeights, d]}, skipping padding_idx. */
    static final class DenseBackwardOp extends Op {
        final int pad, numWeights;

        DenseBackwardOp(int pad, int numWeights) {
            this.pad = pad;
            this.numWeights = numWeights;
        }

        @Override public String name() { return "embedding_dense_backward"; }

        @Override public Map<String, Object> attributes() { return Map.of("num_weights", numWeights); }

        @Override
        public Tensor[] forward(Tensor... in) {
            DType dt = in[0].dtype();
            DType ct = dt.computeType();
            Tensor g = Copy.dense(in[0], ct);
            int d = g.size(-1);
            long[] idx = indexValues(in[1], numWeights);
            Tensor gw = Tensor.empty(ct, numWeights, d);
            int go = g.storageOffset();
            if (ct == DType.FLOAT32) {
                float[] s = g.storage().floats(), t = gw.storage().floats();
                for (int i = 0; i < idx.length; i++) {
                    if (idx[i] == pad) continue;
                    int to = (int) idx[i] * d, from = go + i * d;
                    for (int j = 0; j < d; j++) t[to + j] += s[from + j];
                }
            } else {
                double[] s = g.storage().doubles(), t = gw.storage().doubles();
                for (int i = 0; i < idx.length; i++) {
                    if (idx[i] == pad) continue;
                    int to = (int) idx[i] * d, from = go + i * d;
                    for (int j = 0; j < d; j++) t[to + j] += s[from + j];
                }
            }
            return new Tensor[] {ConvOps.castBack(gw, dt)};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            return new Tensor[] {Dispatch.apply1(new LookupOp(pad, true), grads[0], ctx.input(1)), null};
        }
    }
}
