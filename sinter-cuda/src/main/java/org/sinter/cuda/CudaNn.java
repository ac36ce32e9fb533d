package org.sinter.cuda;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.pool.PoolWindows;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.NnOps;

/**
 * Convolutions and pooling on the GPU. A convolution is lowered to im2col ({@code conv.cu}) and a
 * batched GEMM per group whose weight operand is shared by every sample (batch stride 0), so the
 * product lands in NCHW directly; its input gradient is the transposed GEMM and col2im, its weight
 * gradient one product per sample into a workspace added up in a fixed order ({@code splitk.cu}).
 * Pooling kernels are in {@code pool.cu}. Null means
 * "not on the GPU" (dtypes other than float32, float64 without cuBLAS) and the host runs it.
 */
final class CudaNn {
    private static final int BLOCK = 256;
    private static final BinaryOps.Binary ADD = new BinaryOps.Binary(BinaryFn.ADD);

    private CudaNn() {}

    private static boolean supported(DType dt) {
        return dt == DType.FLOAT32 || (dt == DType.FLOAT64 && org.sinter.cuda.driver.Cublas.isAvailable());
    }

    private static String sfx(DType dt) {
        return dt == DType.FLOAT64 ? "f64" : "f32";
    }

    private static boolean sameDtype(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != ts[0].dtype()) return false;
        return true;
    }

    /** The unfolded patches [N, C·KH·KW, OH·OW] of dense x [N, C, H, W]. */
    private static Tensor im2col(ConvGeometry g, Tensor x, int n) {
        if (g.pointwise()) return x.reshape(n, g.c(), g.h() * g.w());
        Tensor cols = CudaBackend.empty(x.dtype(), x, n, g.c() * g.kh() * g.kw(), g.oh() * g.ow());
        long total = cols.numel();
        CudaDevice dev = CudaBackend.deviceOf(cols);
        geometry(Launch.of(dev.kernels().resource("conv.cu", "im2col_" + sfx(x.dtype())))
                .ptr(CudaBackend.address(x)).ptr(CudaBackend.address(cols)), g, n)
                .grid(Launch.blocksFor(total, BLOCK, dev)).block(BLOCK).run(dev);
        return cols;
    }

    private static Launch geometry(Launch l, ConvGeometry g, int n) {
        return l.i32(n).i32(g.c()).i32(g.h()).i32(g.w()).i32(g.kh()).i32(g.kw()).i32(g.sh()).i32(g.sw())
                .i32(g.ph()).i32(g.pw()).i32(g.dh()).i32(g.dw()).i32(g.oh()).i32(g.ow());
    }

    private static void addBias(Tensor y, Tensor bias) {
        if (bias != null) PointwiseOps.binary(ADD, y, y, bias.reshape(1, bias.size(0), 1, 1));
    }

    static Tensor conv2d(NnOps.Conv2d op, Tensor[] in) {
        ConvGeometry g = op.g();
        Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
        if (!supported(x.dtype()) || !sameDtype(x, w, b) || x.dim() != 4) return null;
        int n = x.size(0);
        Tensor y = CudaBackend.empty(x.dtype(), x, n, g.k(), g.oh(), g.ow());
        if (y.numel() == 0) return y;
        Tensor cols = im2col(g, x.contiguous(), n);
        w = w.contiguous();
        int p = g.oh() * g.ow(), patch = g.patch(), kg = g.kg(), rowsAll = g.c() * g.kh() * g.kw();
        CudaDevice dev = CudaBackend.deviceOf(y);
        long es = x.dtype().itemSize();
        for (int gi = 0; gi < g.groups(); gi++) {
            CudaBlas.gemm(dev, x.dtype(), kg, p, patch, 1,
                    new CudaBlas.Operand(CudaBackend.address(w) + (long) gi * kg * patch * es, patch, 0, false),
                    new CudaBlas.Operand(CudaBackend.address(cols) + (long) gi * patch * p * es, p, (long) rowsAll * p, false),
                    0, CudaBackend.address(y) + (long) gi * kg * p * es, p, (long) g.k() * p, n);
        }
        Reference.reachabilityFence(w); // GEMM operands are raw addresses: keep their blocks until the kernels are queued
        if (!g.pointwise()) CudaBuffer.release(cols);
        addBias(y, b);
        return y;
    }

    /** The input-adjoint: columns = Wᵀ·gy per group, then col2im. */
    static Tensor convTranspose2d(NnOps.ConvTranspose2d op, Tensor[] in) {
        ConvGeometry g = op.g();
        Tensor gy = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
        if (!supported(gy.dtype()) || !sameDtype(gy, w, b) || gy.dim() != 4) return null;
        int n = gy.size(0);
        Tensor x = CudaBackend.empty(gy.dtype(), gy, n, g.c(), g.h(), g.w());
        if (x.numel() == 0) return x;
        gy = gy.contiguous();
        w = w.contiguous();
        int p = g.oh() * g.ow(), patch = g.patch(), kg = g.kg(), rowsAll = g.c() * g.kh() * g.kw();
        Tensor cols = g.pointwise() ? x : CudaBackend.empty(gy.dtype(), gy, n, rowsAll, p);
        CudaDevice dev = CudaBackend.deviceOf(x);
        long es = gy.dtype().itemSize();
        for (int gi = 0; gi < g.groups(); gi++) {
            CudaBlas.gemm(dev, gy.dtype(), patch, p, kg, 1,
                    new CudaBlas.Operand(CudaBackend.address(w) + (long) gi * kg * patch * es, patch, 0, true),
                    new CudaBlas.Operand(CudaBackend.address(gy) + (long) gi * kg * p * es, p, (long) g.k() * p, false),
                    0, CudaBackend.address(cols) + (long) gi * patch * p * es, p, (long) rowsAll * p, n);
        }
        if (!g.pointwise()) {
            geometry(Launch.of(dev.kernels().resource("conv.cu", "col2im_" + sfx(gy.dtype())))
                    .ptr(CudaBackend.address(cols)).ptr(CudaBackend.address(x)), g, n)
                    .grid(Launch.blocksFor(x.numel(), BLOCK, dev)).block(BLOCK).run(dev);
            CudaBuffer.release(cols);
        }
        Reference.reachabilityFence(gy);
        Reference.reachabilityFence(w);
        addBias(x, b);
        return x;
    }

    /**
     * The weight-adjoint {@code gw = Σₙ gyₙ · colsₙᵀ}: one product per sample (a batch, so the GPU
     * fills), into a workspace whose samples are then added in a fixed order ({@code splitk.cu}).
     */
    static Tensor conv2dWeight(NnOps.Conv2dWeight op, Tensor[] in) {
        ConvGeometry g = op.g();
        Tensor x = in[0], gy = in[1];
        if (!supported(x.dtype()) || !sameDtype(x, gy) || x.dim() != 4) return null;
        int n = x.size(0), p = g.oh() * g.ow(), patch = g.patch(), kg = g.kg(), rowsAll = g.c() * g.kh() * g.kw();
        Tensor gw = CudaBackend.empty(x.dtype(), x, g.k(), g.cg(), g.kh(), g.kw());
        if (gw.numel() == 0) return gw;
        if (n == 0 || p == 0) {
            PointwiseOps.fill(gw, 0);
            return gw;
        }
        Tensor cols = im2col(g, x.contiguous(), n);
        gy = gy.contiguous();
        CudaDevice dev = CudaBackend.deviceOf(gw);
        long es = x.dtype().itemSize();
        // Samples in chunks, so the workspace stays bounded (WORKSPACE_BYTES); later chunks add into gw.
        int chunk = (int) Math.max(1, Math.min(n, WORKSPACE_BYTES / ((long) kg * patch * es)));
        Tensor ws = CudaBackend.empty(x.dtype(), x, chunk, kg, patch);
        Tensor partial = chunk < n ? CudaBackend.empty(x.dtype(), x, g.k(), patch) : null;
        for (int first = 0; first < n; first += chunk) {
            int count = Math.min(chunk, n - first);
            Tensor target = first == 0 ? gw : partial;
            for (int gi = 0; gi < g.groups(); gi++) {
                CudaBlas.gemm(dev, x.dtype(), kg, patch, p, 1,
                        new CudaBlas.Operand(CudaBackend.address(gy) + ((long) first * g.k() * p + (long) gi * kg * p) * es, p, (long) g.k() * p, false),
                        new CudaBlas.Operand(CudaBackend.address(cols) + ((long) first * rowsAll * p + (long) gi * patch * p) * es, p, (long) rowsAll * p, true),
                        0, CudaBackend.address(ws), patch, (long) kg * patch, count);
                CudaBlas.sumSlices(dev, x.dtype(), ws, count, kg, patch, CudaBackend.address(target) + (long) gi * kg * patch * es, patch);
            }
            if (target == partial) PointwiseOps.binary(ADD, gw, gw, partial.reshape(gw.shape()));
        }
        Reference.reachabilityFence(gy);
        CudaBuffer.release(ws);
        if (partial != null) CudaBuffer.release(partial);
        if (!g.pointwise()) CudaBuffer.release(cols);
        return gw;
    }

    /** The most a weight gradient's per-sample workspace may take before the samples go in chunks. */
    private static final long WORKSPACE_BYTES = 256L << 20;

    private static Launch pool(Launch l, NnOps.MaxPool2d op) {
        var g = op.g();
        return l.i32(g.kh()).i32(g.kw()).i32(g.sh()).i32(g.sw()).i32(g.ph()).i32(g.pw()).i32(g.dh()).i32(g.dw());
    }

    static Tensor[] maxPool2d(NnOps.MaxPool2d op, Tensor x) {
        if (!x.dtype().isFloatingPoint() || x.dtype().isHalf()) return null;
        var g = op.g();
        int[] os = NnOps.withPlane(x.shape(), g.oh(), g.ow());
        Tensor y = CudaBackend.empty(x.dtype(), x, os), idx = CudaBackend.empty(DType.INT64, x, os);
        if (y.numel() == 0) return new Tensor[] {y, idx};
        x = x.contiguous();
        int planes = Math.toIntExact(x.numel() / ((long) g.h() * g.w()));
        CudaDevice dev = CudaBackend.deviceOf(y);
        pool(Launch.of(dev.kernels().resource("pool.cu", "maxpool2d_" + sfx(x.dtype())))
                .ptr(CudaBackend.address(x)).ptr(CudaBackend.address(y)).ptr(CudaBackend.address(idx))
                .i32(planes).i32(g.h()).i32(g.w()).i32(g.oh()).i32(g.ow()), op)
                .grid(Launch.blocksFor(y.numel(), BLOCK, dev)).block(BLOCK).run(dev);
        return new Tensor[] {y, idx};
    }

    static Tensor maxPoolBackward(NnOps.MaxPoolBackward op, Tensor gy, Tensor idx) {
        if (!gy.dtype().isFloatingPoint() || gy.dtype().isHalf()) return null;
        int[] shape = op.inputShape().toArray();
        Tensor gx = CudaBackend.empty(gy.dtype(), gy, shape); // zero-filled
        if (gy.numel() == 0 || gx.numel() == 0) return gx;
        int h = shape[shape.length - 2], w = shape[shape.length - 1];
        int oh = gy.size(-2), ow = gy.size(-1);
        gy = gy.contiguous();
        idx = idx.contiguous();
        CudaDevice dev = CudaBackend.deviceOf(gx);
        int planes = Math.toIntExact(gx.numel() / ((long) h * w));
        Launch.of(dev.kernels().resource("pool.cu", "maxpool2d_backward_" + sfx(gy.dtype())))
                .ptr(CudaBackend.address(gy)).ptr(CudaBackend.address(idx)).ptr(CudaBackend.address(gx))
                .i32(planes).i32(h).i32(w).i32(oh).i32(ow)
                .grid(Launch.blocksFor(gy.numel(), BLOCK, dev)).block(BLOCK).run(dev);
        return gx;
    }

    /**
     * Window tables of an average pool on the device (hs, he, ws, we and the divisors), kept by
     * their contents and device: a layer makes equal windows on every call, and uploading them
     * synchronises. Bounded, as the shapes a program uses are few.
     */
    private static final Map<String, Tensor[]> TABLES = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tensor[]> eldest) {
            return size() > 256;
        }
    };

    private static synchronized Tensor[] tables(PoolWindows wd, Device device) {
        int[] div = new int[wd.oh() * wd.ow()];
        for (int i = 0; i < wd.oh(); i++) for (int j = 0; j < wd.ow(); j++) div[i * wd.ow() + j] = wd.divisor(i, j);
        String key = device + Arrays.toString(wd.hs()) + Arrays.toString(wd.he()) + Arrays.toString(wd.ws()) + Arrays.toString(wd.we())
                + Arrays.toString(div);
        Tensor[] t = TABLES.get(key);
        if (t != null) return t;
        t = new Tensor[] {Tensor.of(wd.hs(), wd.oh()).to(device), Tensor.of(wd.he(), wd.oh()).to(device), Tensor.of(wd.ws(), wd.ow()).to(device),
                Tensor.of(wd.we(), wd.ow()).to(device), Tensor.of(div, div.length).to(device)};
        TABLES.put(key, t);
        return t;
    }

    private static Launch windows(Launch l, PoolWindows wd, Tensor[] t, int planes) {
        l.i32(planes).i32(wd.h()).i32(wd.w()).i32(wd.oh()).i32(wd.ow());
        for (Tensor x : t) l.ptr(CudaBackend.address(x));
        return l;
    }

    static Tensor avgPool2d(NnOps.AvgPool2d op, Tensor x) {
        if (!x.dtype().isFloatingPoint() || x.dtype().isHalf()) return null;
        PoolWindows wd = op.wd();
        Tensor y = CudaBackend.empty(x.dtype(), x, NnOps.withPlane(x.shape(), wd.oh(), wd.ow()));
        if (y.numel() == 0 || x.numel() == 0) return null;
        x = x.contiguous();
        CudaDevice dev = CudaBackend.deviceOf(y);
        int planes = Math.toIntExact(x.numel() / ((long) wd.h() * wd.w()));
        Tensor[] t = tables(wd, x.device());
        windows(Launch.of(dev.kernels().resource("pool.cu", "avgpool2d_" + sfx(x.dtype())))
                .ptr(CudaBackend.address(x)).ptr(CudaBackend.address(y)), wd, t, planes)
                .grid(Launch.blocksFor(y.numel(), BLOCK, dev)).block(BLOCK).run(dev);
        Reference.reachabilityFence(x);
        return y;
    }

    static Tensor avgPoolBackward(NnOps.AvgPoolBackward op, Tensor gy) {
        if (!gy.dtype().isFloatingPoint() || gy.dtype().isHalf()) return null;
        PoolWindows wd = op.wd();
        Tensor gx = CudaBackend.empty(gy.dtype(), gy, op.inputShape().toArray()); // zero-filled
        if (gy.numel() == 0 || gx.numel() == 0) return gx;
        gy = gy.contiguous();
        CudaDevice dev = CudaBackend.deviceOf(gx);
        int planes = Math.toIntExact(gx.numel() / ((long) wd.h() * wd.w()));
        Tensor[] t = tables(wd, gy.device());
        windows(Launch.of(dev.kernels().resource("pool.cu", "avgpool2d_backward_" + sfx(gy.dtype())))
                .ptr(CudaBackend.address(gy)).ptr(CudaBackend.address(gx)), wd, t, planes)
                .grid(Launch.blocksFor(Math.max(gy.numel(), gx.numel()), BLOCK, dev)).block(BLOCK).run(dev);
        Reference.reachabilityFence(gy);
        return gx;
    }
}
