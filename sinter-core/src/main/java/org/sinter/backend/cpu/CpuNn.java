package org.sinter.backend.cpu;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.ConvKernels;
import org.sinter.kernels.pool.PoolKernels;
import org.sinter.ops.NnOps;

/** CPU execution of convolution, pooling and embedding: dense operands handed to the kernels. */
final class CpuNn {
    private CpuNn() {}

    private static Tensor dense(Tensor t, DType ct) {
        return t == null ? null : Copy.dense(t, ct);
    }

    private static Object data(Tensor t) {
        return t == null ? null : t.storage().array();
    }

    private static int off(Tensor t) {
        return t == null ? 0 : t.storageOffset();
    }

    private static Tensor castBack(Tensor out, DType dt) {
        return out.dtype() == dt ? out : Copy.dense(out, dt);
    }

    private static int planes(int[] shape) {
        int p = 1;
        for (int i = 0; i < shape.length - 2; i++) p *= shape[i];
        return p;
    }

    static Tensor conv2d(NnOps.Conv2d op, Tensor... in) {
        ConvGeometry g = op.g();
        Tensor b0 = in.length > 2 ? in[2] : null;
        DType ct = NnOps.computeType("conv2d", in[0], in[1], b0);
        Tensor x = dense(in[0], ct), w = dense(in[1], ct), b = dense(b0, ct);
        int n = x.size(0);
        Tensor y = Tensor.empty(ct, n, g.k(), g.oh(), g.ow());
        ConvKernels.conv(ct, g, n, data(x), off(x), data(w), off(w), data(b), off(b), data(y), 0);
        return castBack(y, in[0].dtype());
    }

    static Tensor convTranspose2d(NnOps.ConvTranspose2d op, Tensor... in) {
        ConvGeometry g = op.g();
        Tensor b0 = in.length > 2 ? in[2] : null;
        DType ct = NnOps.computeType("conv_transpose2d", in[0], in[1], b0);
        Tensor y = dense(in[0], ct), w = dense(in[1], ct), b = dense(b0, ct);
        int n = y.size(0);
        Tensor x = Tensor.empty(ct, n, g.c(), g.h(), g.w());
        ConvKernels.convTranspose(ct, g, n, data(y), off(y), data(w), off(w), data(b), off(b), data(x), 0);
        return castBack(x, in[0].dtype());
    }

    static Tensor conv2dWeight(NnOps.Conv2dWeight op, Tensor... in) {
        ConvGeometry g = op.g();
        DType ct = NnOps.computeType("conv2d_weight", in[0], in[1]);
        Tensor x = dense(in[0], ct), gy = dense(in[1], ct);
        Tensor gw = Tensor.empty(ct, g.k(), g.cg(), g.kh(), g.kw());
        ConvKernels.weightGrad(ct, g, x.size(0), data(x), off(x), data(gy), off(gy), data(gw));
        return castBack(gw, in[0].dtype());
    }

    static Tensor[] maxPool2d(NnOps.MaxPool2d op, Tensor... in) {
        var g = op.g();
        DType ct = NnOps.computeType("max_pool2d", in[0]);
        Tensor x = Copy.dense(in[0], ct);
        int[] os = NnOps.withPlane(x.shape(), g.oh(), g.ow());
        int planes = planes(os);
        Tensor y = Tensor.empty(ct, os), idx = Tensor.empty(DType.INT64, os);
        long[] id = idx.storage().longs();
        if (ct == DType.FLOAT32) PoolKernels.maxPool(g, planes, x.storage().floats(), x.storageOffset(), y.storage().floats(), id);
        else PoolKernels.maxPool(g, planes, x.storage().doubles(), x.storageOffset(), y.storage().doubles(), id);
        return new Tensor[] {castBack(y, in[0].dtype()), idx};
    }

    static Tensor[] maxPoolBackward(NnOps.MaxPoolBackward op, Tensor... in) {
        int[] inputShape = op.inputShape().toArray();
        DType ct = NnOps.computeType("max_pool2d_backward", in[0]);
        Tensor gy = Copy.dense(in[0], ct), idx = Copy.dense(in[1], DType.INT64);
        int[] ys = gy.shape();
        int hw = inputShape[inputShape.length - 2] * inputShape[inputShape.length - 1];
        int ohw = ys[ys.length - 2] * ys[ys.length - 1];
        // The indices usually come from the forward, but the op is public: a bad one must not write into another plane.
        IndexBounds.checkFlat(op.name(), idx.storage().longs(), idx.storageOffset(), Shape.numel(idx), hw);
        Tensor gx = Tensor.empty(ct, inputShape);
        if (ct == DType.FLOAT32) {
            PoolKernels.maxPoolBackward(planes(ys), hw, ohw, gy.storage().floats(), gy.storageOffset(), idx.storage().longs(),
                    idx.storageOffset(), gx.storage().floats());
        } else {
            PoolKernels.maxPoolBackward(planes(ys), hw, ohw, gy.storage().doubles(), gy.storageOffset(), idx.storage().longs(),
                    idx.storageOffset(), gx.storage().doubles());
        }
        return new Tensor[] {castBack(gx, in[0].dtype())};
    }

    static Tensor[] avgPool2d(NnOps.AvgPool2d op, Tensor... in) {
        var wd = op.wd();
        String name = op.name();
        DType ct = NnOps.computeType(name, in[0]);
        Tensor x = Copy.dense(in[0], ct);
        int[] os = NnOps.withPlane(x.shape(), wd.oh(), wd.ow());
        Tensor y = Tensor.empty(ct, os);
        if (ct == DType.FLOAT32) PoolKernels.avgPool(wd, planes(os), x.storage().floats(), x.storageOffset(), y.storage().floats());
        else PoolKernels.avgPool(wd, planes(os), x.storage().doubles(), x.storageOffset(), y.storage().doubles());
        return new Tensor[] {castBack(y, in[0].dtype())};
    }

    static Tensor[] avgPoolBackward(NnOps.AvgPoolBackward op, Tensor... in) {
        var wd = op.wd();
        int[] inputShape = op.inputShape().toArray();
        DType ct = NnOps.computeType(op.name(), in[0]);
        Tensor gy = Copy.dense(in[0], ct);
        Tensor gx = Tensor.empty(ct, inputShape);
        int planes = planes(inputShape);
        if (ct == DType.FLOAT32) PoolKernels.avgPoolBackward(wd, planes, gy.storage().floats(), gy.storageOffset(), gx.storage().floats());
        else PoolKernels.avgPoolBackward(wd, planes, gy.storage().doubles(), gy.storageOffset(), gx.storage().doubles());
        return new Tensor[] {castBack(gx, in[0].dtype())};
    }

    static Tensor[] embedding(NnOps.Embedding op, Tensor... in) {
        int pad = op.pad();
        boolean zeroPadding = op.zeroPadding();
        Tensor w = Copy.dense(in[0], in[0].dtype());
        int v = w.size(0), d = w.size(1);
        int[] idx = IndexBounds.values("embedding", in[1], 0, v);
        int[] shape = Arrays.copyOf(in[1].shape(), in[1].dim() + 1);
        shape[in[1].dim()] = d;
        Tensor out = Tensor.empty(w.dtype(), shape);
        Object src = w.storage().array(), dst = out.storage().array();
        int off = w.storageOffset();
        // Rows are copies at memory speed: split only beyond 64k elements a task, or waking the pool
        // costs more than the copy (a GPT's 64 x 128 gather took 50-90 us split in two, 2 us whole).
        Parallel.forRange(idx.length, Math.max(1, (1 << 16) / Math.max(1, d)), (s, e) -> {
            for (int i = s; i < e; i++) {
                if (zeroPadding && idx[i] == pad) continue;
                System.arraycopy(src, off + idx[i] * d, dst, i * d, d);
            }
        });
        return new Tensor[] {out};
    }

    static Tensor[] embeddingBackward(NnOps.EmbeddingBackward op, Tensor... in) {
        int pad = op.pad(), numWeights = op.numWeights();
        DType dt = in[0].dtype();
        DType ct = dt.computeType();
        Tensor g = Copy.dense(in[0], ct);
        int d = g.size(-1);
        int[] idx = IndexBounds.values("embedding_backward", in[1], 0, numWeights);
        Tensor gw = Tensor.empty(ct, numWeights, d);
        int go = g.storageOffset();
        if (ct == DType.FLOAT32) {
            float[] s = g.storage().floats(), t = gw.storage().floats();
            for (int i = 0; i < idx.length; i++) {
                if (idx[i] == pad) continue;
                int to = idx[i] * d, from = go + i * d;
                for (int j = 0; j < d; j++) t[to + j] += s[from + j];
            }
        } else {
            double[] s = g.storage().doubles(), t = gw.storage().doubles();
            for (int i = 0; i < idx.length; i++) {
                if (idx[i] == pad) continue;
                int to = idx[i] * d, from = go + i * d;
                for (int j = 0; j < d; j++) t[to + j] += s[from + j];
            }
        }
        return new Tensor[] {castBack(gw, dt)};
    }
}
