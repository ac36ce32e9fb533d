package org.sinter.cuda;

import java.nio.ByteBuffer;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.backend.Backend;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.CompareOps;
import org.sinter.ops.Custom;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.IndexOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.NnOps;
import org.sinter.ops.Op;
import org.sinter.ops.OptimOps;
import org.sinter.ops.RandomOps;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOp;
import org.sinter.ops.ViewOps;

/**
 * The CUDA backend: device memory from each GPU's {@link CachingAllocator} as buffers, and kernels
 * compiled at run time by NVRTC behind one exhaustive switch over the op set, as the CPU backend's.
 * Elementwise ops are generated ({@link Pointwise}); reductions, softmax, GEMM (own SGEMM or
 * cuBLAS), convolutions (im2col + GEMM), pooling and the optimizer updates are the hand-written
 * kernels of {@code org/sinter/cuda/kernels}. The ops without a GPU kernel yet run on the host
 * ({@link HostFallback}, counted, so tests and profiles show them). Found by {@code Backends} as a
 * service; CUDA itself is initialised on first use.
 */
public final class CudaBackend implements Backend {
    public static final CudaBackend INSTANCE = new CudaBackend();

    /** For {@link java.util.ServiceLoader} (the backend holds no state: devices live in {@link CudaDevice}). */
    public CudaBackend() {}

    @Override public Device device() { return Device.cuda(0); }

    static CudaDevice deviceOf(Tensor t) {
        return ((CudaBuffer) t.storage().array()).device();
    }

    /** The device address of {@code t}'s first element. */
    public static long address(Tensor t) {
        return ((CudaBuffer) t.storage().array()).ptr() + (long) t.storageOffset() * t.dtype().itemSize();
    }

    /** A new contiguous tensor on {@code like}'s device. */
    static Tensor empty(DType dt, Tensor like, int... shape) {
        return Tensor.empty(dt, like.device(), shape);
    }

    @Override
    public Object allocate(DType dtype, int length) {
        throw new UnsupportedOperationException("CudaBackend.allocate needs the device index; use allocate(device, ...)");
    }

    @Override
    public Object allocate(Device device, DType dtype, int length) {
        Cuda.requireAvailable();
        CudaDevice d = CudaDevice.get(device.index());
        long bytes = Math.max(1L, (long) length * dtype.itemSize());
        CudaBuffer b = new CudaBuffer(d, bytes);
        org.sinter.cuda.driver.Driver.memsetBytes(b.ptr(), (byte) 0, bytes, d.stream()); // the interface promises zeros
        return b;
    }

    @Override
    public void synchronize(Device device) {
        if (Cuda.isAvailable()) CudaDevice.get(device.index()).synchronize();
    }

    @Override
    public void readBytes(Object buffer, DType dtype, int from, int count, ByteBuffer dst) {
        CudaBuffer b = (CudaBuffer) buffer;
        b.device().download(b.ptr() + (long) from * dtype.itemSize(), dst, (long) count * dtype.itemSize());
        java.lang.ref.Reference.reachabilityFence(b); // its block must not be reused while the copy runs
    }

    @Override
    public void writeBytes(Object buffer, DType dtype, int at, int count, ByteBuffer src) {
        CudaBuffer b = (CudaBuffer) buffer;
        b.device().upload(src, b.ptr() + (long) at * dtype.itemSize(), (long) count * dtype.itemSize());
        java.lang.ref.Reference.reachabilityFence(b);
    }

    private static final Tensor[] NONE = new Tensor[0];

    private static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    /** A new tensor of the op's predicted shape and dtype on the inputs' device. */
    private static Tensor out(Op op, Tensor[] in, Tensor like) {
        TensorSpec s = op.meta(in)[0];
        return empty(s.dtype(), like, s.shape());
    }

    private static Tensor firstDevice(Tensor[] in) {
        for (Tensor t : in) if (t.device().type() == Device.Type.CUDA) return t;
        throw new IllegalStateException("no CUDA tensor among the inputs");
    }

    @Override
    public Tensor[] execute(Op op, Tensor... in) {
        Tensor like = firstDevice(in);
        return switch (op) {
            case UnaryOps.Unary u -> {
                Tensor o = out(op, in, like);
                yield PointwiseOps.unary(u, o, in[0]) ? one(o) : HostFallback.execute(op, in);
            }
            case UnaryOps.Cast c -> {
                Tensor o = empty(c.to(), like, in[0].shape());
                PointwiseOps.copy(o, in[0]);
                yield one(o);
            }
            case UnaryOps.ReluBackward r -> {
                Tensor o = out(op, in, like);
                PointwiseOps.reluBackward(o, in[0], in[1]);
                yield one(o);
            }
            case BinaryOps.Binary b -> {
                Tensor o = out(op, in, like);
                yield PointwiseOps.binary(b, o, in[0], in[1]) ? one(o) : HostFallback.execute(op, in);
            }
            case BinaryOps.Axpy a -> {
                Tensor o = out(op, in, like);
                PointwiseOps.axpy(a, o, in[0], in[1]);
                yield one(o);
            }
            case CompareOps.Compare c -> {
                Tensor o = out(op, in, like);
                PointwiseOps.compare(c, o, in[0], in[1]);
                yield one(o);
            }
            case CompareOps.Logical l -> {
                Tensor o = out(op, in, like);
                PointwiseOps.logical(l, o, in);
                yield one(o);
            }
            case CompareOps.IsFinite f -> {
                Tensor o = out(op, in, like);
                PointwiseOps.isfinite(o, in[0]);
                yield one(o);
            }
            case IndexOps.Where w -> {
                Tensor o = out(op, in, like);
                PointwiseOps.where(o, in[0], in[1], in[2]);
                yield one(o);
            }
            case ReduceOps.Reduce r -> {
                Tensor o = CudaReductions.reduce(r, in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case ReduceOps.ArgReduce a -> {
                Tensor o = CudaReductions.argReduce(a, in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case SoftmaxOps.Softmax s -> {
                Tensor o = CudaReductions.softmax(s, in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case LinalgOps.Bmm b -> {
                Tensor o = CudaBlas.bmm(in[0], in[1]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case ViewOp v -> throw new IllegalStateException(v.name() + ": views are made by Dispatch, not executed");
            case ShapeOps.Clone c -> {
                Tensor o = empty(in[0].dtype(), like, in[0].shape());
                PointwiseOps.copy(o, in[0]);
                yield one(o);
            }
            case ShapeOps.CopyFrom c -> {
                Tensor o = empty(in[0].dtype(), like, in[0].shape());
                PointwiseOps.copy(o, in[1]);
                yield one(o);
            }
            case ShapeOps.Fill f -> {
                Tensor o = empty(in[0].dtype(), like, in[0].shape());
                PointwiseOps.fill(o, f.value());
                yield one(o);
            }
            case ShapeOps.Cat c -> one(CudaShapes.cat(c, out(op, in, like), in));
            case ShapeOps.ConstantPad p -> {
                Tensor o = CudaShapes.constantPad(p, out(op, in, like), in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case NnOps.Conv2d c -> {
                Tensor o = CudaNn.conv2d(c, in);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case NnOps.ConvTranspose2d c -> {
                Tensor o = CudaNn.convTranspose2d(c, in);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case NnOps.Conv2dWeight c -> {
                Tensor o = CudaNn.conv2dWeight(c, in);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case NnOps.MaxPool2d m -> {
                Tensor[] o = CudaNn.maxPool2d(m, in[0]);
                yield o != null ? o : HostFallback.execute(op, in);
            }
            case NnOps.MaxPoolBackward m -> {
                Tensor o = CudaNn.maxPoolBackward(m, in[0], in[1]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case NnOps.AvgPool2d a -> {
                Tensor o = CudaNn.avgPool2d(a, in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case NnOps.AvgPoolBackward a -> {
                Tensor o = CudaNn.avgPoolBackward(a, in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case Custom c -> c.impl().forward(in);
            case org.sinter.ops.HigherOrderOp h -> h.run(in);
            case OptimOps.SgdUpdate u -> CudaOptim.sgd(u, in) ? NONE : HostFallback.update(op, in);
            case OptimOps.AdamUpdate u -> CudaOptim.adam(u, in) ? NONE : HostFallback.update(op, in);
            case RandomOps.Uniform u -> CudaRandom.uniform(in[0], u.from(), u.to(), u.generator()) ? NONE : HostFallback.update(op, in);
            case RandomOps.Normal n -> CudaRandom.normal(in[0], n.mean(), n.std(), n.generator()) ? NONE : HostFallback.update(op, in);
            case RandomOps.Integers r -> HostFallback.update(op, in);
            case OptimOps.AdadeltaUpdate u -> CudaOptim.adadelta(u, in) ? NONE : HostFallback.update(op, in);
            case IndexOps.Gather g -> {
                Tensor o = CudaIndexing.gather(g, in[0], in[1]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case IndexOps.Scatter s -> {
                Tensor o = CudaIndexing.scatterAdd(s, in[0], in[1], in[2]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case IndexOps.IndexSelect s -> HostFallback.execute(op, in);
            case IndexOps.IndexAdd a -> HostFallback.execute(op, in);
            case ReduceOps.Norm n -> HostFallback.execute(op, in);
            case ReduceOps.Cumsum c -> HostFallback.execute(op, in);
            case ViewOps.ViewScatter v -> {
                Tensor o = CudaShapes.viewScatter(v, in[0]);
                yield o != null ? one(o) : HostFallback.execute(op, in);
            }
            case ShapeOps.Flip f -> HostFallback.execute(op, in);
            case ShapeOps.Tri t -> HostFallback.execute(op, in);
            case NnOps.Embedding e -> HostFallback.execute(op, in);
            case NnOps.EmbeddingBackward e -> HostFallback.execute(op, in);
        };
    }

    @Override
    public void executeInPlace(InPlaceOp op, Tensor... in) {
        Tensor target = in[0];
        switch (op) {
            case UnaryOps.Unary u -> {
                if (!PointwiseOps.unary(u, target, in[0])) HostFallback.executeInPlace(op, in);
            }
            case BinaryOps.Binary b -> {
                if (!PointwiseOps.binary(b, target, in[0], in[1])) HostFallback.executeInPlace(op, in);
            }
            case BinaryOps.Axpy a -> PointwiseOps.axpy(a, target, in[0], in[1]);
            case ShapeOps.CopyFrom c -> PointwiseOps.copy(target, in[1]);
            case ShapeOps.Fill f -> PointwiseOps.fill(target, f.value());
        }
    }
}
