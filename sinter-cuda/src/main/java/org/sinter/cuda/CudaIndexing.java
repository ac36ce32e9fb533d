package org.sinter.cuda;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.ops.IndexOps;

/**
 * {@code gather} and {@code scatter_add} on the GPU ({@code index.cu}) for the common case: float
 * values, an int64 index of the values' shape except along the dimension (what losses and their
 * gradients use). An out-of-range index is flagged by the kernel; the op then runs on the host,
 * which raises the CPU's error. Null means "not here" and the host runs it.
 */
final class CudaIndexing {
    private CudaIndexing() {}

    /** [outer, size, inner] around {@code dim} of {@code shape}. */
    private static long[] around(int[] shape, int dim) {
        long outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        return new long[] {outer, inner};
    }

    private static boolean sameExceptAt(int[] a, int[] b, int dim) {
        if (a.length != b.length) return false;
        for (int d = 0; d < a.length; d++) if (d != dim && a[d] != b[d]) return false;
        return true;
    }

    private static boolean floating(DType dt) {
        return dt == DType.FLOAT32 || dt == DType.FLOAT64;
    }

    static Tensor gather(IndexOps.Gather op, Tensor x, Tensor idx) {
        int dim = op.dim() < 0 ? op.dim() + Math.max(1, x.dim()) : op.dim();
        if (!floating(x.dtype()) || idx.dtype() != DType.INT64 || x.dim() == 0 || !sameExceptAt(x.shape(), idx.shape(), dim)) return null;
        Tensor y = CudaBackend.empty(x.dtype(), x, idx.shape());
        if (y.numel() == 0) return y;
        return run("gather", x.contiguous(), idx.contiguous(), y, x, x.size(dim), dim) ? y : null;
    }

    /** {@code self.clone().scatter_add_(dim, index, src)} with src of the index's shape. */
    static Tensor scatterAdd(IndexOps.Scatter op, Tensor self, Tensor idx, Tensor src) {
        int dim = op.dim() < 0 ? op.dim() + Math.max(1, self.dim()) : op.dim();
        if (!op.add() || !floating(self.dtype()) || src.dtype() != self.dtype() || idx.dtype() != DType.INT64 || self.dim() == 0
                || !Arrays.equals(idx.shape(), src.shape()) || !sameExceptAt(self.shape(), idx.shape(), dim)) return null;
        Tensor y = CudaBackend.empty(self.dtype(), self, self.shape());
        PointwiseOps.copy(y, self);
        if (idx.numel() == 0) return y;
        return run("scatter_add", y, idx.contiguous(), src.contiguous(), y, self.size(dim), dim) ? y : null;
    }

    /**
     * Launches {@code kernel(first, idx, third, outer, size, idxSize, inner, bad)} over the index's
     * elements; false when an index was out of range (the flag is read back, which waits for the kernel).
     */
    private static boolean run(String kernel, Tensor first, Tensor idx, Tensor third, Tensor values, int size, int dim) {
        long[] oi = around(idx.shape(), dim);
        Tensor bad = CudaBackend.empty(DType.INT32, values, 1);
        CudaDevice dev = CudaBackend.deviceOf(values);
        Launch.of(dev.kernels().resource("index.cu", kernel + (values.dtype() == DType.FLOAT64 ? "_f64" : "_f32")))
                .ptr(CudaBackend.address(first)).ptr(CudaBackend.address(idx)).ptr(CudaBackend.address(third))
                .i64(oi[0]).i32(size).i32(idx.size(dim)).i64(oi[1]).ptr(CudaBackend.address(bad))
                .grid(Launch.blocksFor(idx.numel(), 256, dev)).block(256).run(dev);
        boolean outOfRange = bad.item() != 0;
        CudaBuffer.release(bad);
        return !outOfRange;
    }
}
