package org.sinter.backend.cpu;

import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.backend.Backend;
import org.sinter.kernels.optim.AdadeltaKernel;
import org.sinter.kernels.optim.AdamKernel;
import org.sinter.kernels.optim.SgdKernel;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.CompareOps;
import org.sinter.ops.Custom;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.IndexOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.NnOps;
import org.sinter.ops.OptimOps;
import org.sinter.ops.RandomOps;
import org.sinter.ops.Op;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOp;
import org.sinter.ops.ViewOps;

/**
 * The CPU backend: Java heap arrays as buffers, and the Vector API kernels of
 * {@code org.sinter.kernels} behind one exhaustive switch over the op set (a new op does not
 * compile until it has a CPU kernel here). The GEMM provider (Java or OpenBLAS) is this
 * backend's option: {@code org.sinter.kernels.gemm.Gemm.setProvider}.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public Device device() { return Device.CPU; }

    @Override
    public Object allocate(DType dtype, int length) {
        return switch (dtype) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case INT32 -> new int[length];
            case INT64 -> new long[length];
            case BOOL -> new byte[length];
            case BFLOAT16, FLOAT16 -> new short[length];
        };
    }

    @Override
    public void readBytes(Object buffer, DType dtype, int from, int count, java.nio.ByteBuffer dst) {
        java.nio.ByteBuffer b = dst.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().put((float[]) buffer, from, count);
            case FLOAT64 -> b.asDoubleBuffer().put((double[]) buffer, from, count);
            case INT32 -> b.asIntBuffer().put((int[]) buffer, from, count);
            case INT64 -> b.asLongBuffer().put((long[]) buffer, from, count);
            case BFLOAT16, FLOAT16 -> b.asShortBuffer().put((short[]) buffer, from, count);
            case BOOL -> b.duplicate().put((byte[]) buffer, from, count);
        }
    }

    @Override
    public void writeBytes(Object buffer, DType dtype, int at, int count, java.nio.ByteBuffer src) {
        java.nio.ByteBuffer b = src.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get((float[]) buffer, at, count);
            case FLOAT64 -> b.asDoubleBuffer().get((double[]) buffer, at, count);
            case INT32 -> b.asIntBuffer().get((int[]) buffer, at, count);
            case INT64 -> b.asLongBuffer().get((long[]) buffer, at, count);
            case BFLOAT16, FLOAT16 -> b.asShortBuffer().get((short[]) buffer, at, count);
            case BOOL -> b.duplicate().get((byte[]) buffer, at, count);
        }
    }

    private static final Tensor[] NONE = new Tensor[0];

    private static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    @Override
    public Tensor[] execute(Op op, Tensor... in) {
        return switch (op) {
            case UnaryOps.Unary u -> one(CpuPointwise.unary(u, in[0]));
            case UnaryOps.Cast c -> one(CpuPointwise.cast(c, in[0]));
            case UnaryOps.ReluBackward r -> one(CpuPointwise.reluBackward(in[0], in[1]));
            case BinaryOps.Binary b -> one(CpuPointwise.binary(b, in[0], in[1]));
            case BinaryOps.Axpy a -> one(CpuPointwise.axpy(a, in[0], in[1]));
            case CompareOps.Compare c -> one(CpuPointwise.compare(c, in[0], in[1]));
            case CompareOps.Logical l -> one(CpuPointwise.logical(l, in));
            case CompareOps.IsFinite f -> one(CpuPointwise.isfinite(in[0]));
            case IndexOps.Where w -> CpuIndexing.where(w, in);
            case IndexOps.Gather g -> CpuIndexing.gather(g, in);
            case IndexOps.Scatter s -> CpuIndexing.scatter(s, in);
            case IndexOps.IndexSelect s -> CpuIndexing.indexSelect(s, in);
            case IndexOps.IndexAdd a -> CpuIndexing.indexAdd(a, in);
            case ReduceOps.Reduce r -> one(CpuReductions.reduce(r, in[0]));
            case ReduceOps.ArgReduce a -> one(CpuReductions.argReduce(a, in[0]));
            case ReduceOps.Norm n -> one(CpuReductions.norm(n, in[0]));
            case ReduceOps.Cumsum c -> one(CpuReductions.cumsum(c, in[0]));
            case SoftmaxOps.Softmax s -> one(CpuReductions.softmax(s, in[0]));
            case LinalgOps.Bmm b -> one(CpuLinalg.bmm(in[0], in[1]));
            case ViewOp v -> throw new IllegalStateException(v.name() + ": views are made by Dispatch, not executed");
            case ViewOps.ViewScatter v -> one(CpuShapes.viewScatter(v, in[0]));
            case ShapeOps.Clone c -> one(CpuShapes.clone(in[0]));
            case ShapeOps.CopyFrom c -> {
                Tensor out = Tensor.empty(in[0].dtype(), in[0].shape());
                Copy.copyInto(out, in[1]);
                yield one(out);
            }
            case ShapeOps.Fill f -> one(Tensor.full(f.value(), in[0].dtype(), in[0].shape()));
            case ShapeOps.Cat c -> {
                TensorSpec out = c.meta(in)[0];
                yield one(CpuShapes.cat(c, Tensor.empty(out.dtype(), out.shape()), in));
            }
            case ShapeOps.ConstantPad p -> one(CpuShapes.constantPad(p, in[0], p.meta(in)[0].shape()));
            case ShapeOps.Flip f -> one(CpuShapes.flip(f, in[0]));
            case ShapeOps.Tri t -> one(CpuShapes.tri(t, in[0]));
            case NnOps.Conv2d c -> one(CpuNn.conv2d(c, in));
            case NnOps.ConvTranspose2d c -> one(CpuNn.convTranspose2d(c, in));
            case NnOps.Conv2dWeight c -> one(CpuNn.conv2dWeight(c, in));
            case NnOps.MaxPool2d m -> CpuNn.maxPool2d(m, in);
            case NnOps.MaxPoolBackward m -> CpuNn.maxPoolBackward(m, in);
            case NnOps.AvgPool2d a -> CpuNn.avgPool2d(a, in);
            case NnOps.AvgPoolBackward a -> CpuNn.avgPoolBackward(a, in);
            case NnOps.Embedding e -> CpuNn.embedding(e, in);
            case NnOps.EmbeddingBackward e -> CpuNn.embeddingBackward(e, in);
            case Custom c -> c.impl().forward(in);
            case org.sinter.ops.HigherOrderOp h -> h.run(in);
            case OptimOps.SgdUpdate u -> {
                SgdKernel.step(in[0], in[1], in[2], u.h());
                yield NONE;
            }
            case OptimOps.AdamUpdate u -> {
                AdamKernel.step(in[0], in[1], in[2], in[3], in.length > 4 ? in[4] : null, u.h());
                yield NONE;
            }
            case OptimOps.AdadeltaUpdate u -> {
                AdadeltaKernel.step(in[0], in[1], in[2], in[3], u.h());
                yield NONE;
            }
            case RandomOps.Uniform u -> {
                CpuRandom.uniform(in[0], u.from(), u.to(), u.generator());
                yield NONE;
            }
            case RandomOps.Integers r -> {
                CpuRandom.integers(in[0], r.low(), r.high(), r.generator());
                yield NONE;
            }
            case RandomOps.Normal n -> {
                CpuRandom.normal(in[0], n.mean(), n.std(), n.generator());
                yield NONE;
            }
        };
    }

    @Override
    public void executeInPlace(InPlaceOp op, Tensor... in) {
        Tensor out = in[0];
        switch (op) {
            case UnaryOps.Unary u -> CpuPointwise.unaryInto(u, out, in[0]);
            case BinaryOps.Binary b -> CpuPointwise.binaryInto(b, out, in[0], in[1]);
            case BinaryOps.Axpy a -> CpuPointwise.axpyInto(a, out, in[1]);
            case ShapeOps.CopyFrom c -> Copy.copyInto(out, in[1]);
            case ShapeOps.Fill f -> Copy.fill(out, f.value());
        }
    }
}
