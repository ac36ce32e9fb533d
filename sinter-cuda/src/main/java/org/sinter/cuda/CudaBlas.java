package org.sinter.cuda;

import java.lang.ref.Reference;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.cuda.driver.Cublas;

/**
 * Matrix products on the GPU: row-major batched GEMM by Sinter's own kernels ({@code sgemm.cu}:
 * naive, shared-memory tiled, register-blocked with 64×64 and 128×128 tiles, warp-tiled 128×128;
 * the product's tile count per multiprocessor picks between the 64×64 and the warp-tiled kernels) or by cuBLAS ({@link Cuda#setBlas}).
 * Float64 products use cuBLAS's DGEMM when installed; other dtypes run on the host.
 */
public final class CudaBlas {
    /** Sinter's SGEMM variants, in the order of the teaching progression. */
    public enum Variant {
        NAIVE("sgemm_naive", 16, 16, 16, 16), TILED("sgemm_tiled", 32, 32, 32, 32), REG64("sgemm_reg64", 64, 64, 256, 1),
        REG128("sgemm_reg", 128, 128, 256, 1), WARPTILED("sgemm_wt", 128, 128, 256, 1);

        final String prefix;
        final int tileM, tileN, blockX, blockY;

        Variant(String prefix, int tileM, int tileN, int blockX, int blockY) {
            this.prefix = prefix;
            this.tileM = tileM;
            this.tileN = tileN;
            this.blockX = blockX;
            this.blockY = blockY;
        }
    }

    private CudaBlas() {}

    /** A matrix operand: base address, leading dimension, batch stride (elements), transposed. */
    public record Operand(long address, int ld, long batchStride, boolean trans) {}

    /**
     * Row-major batched {@code C = alpha·op(A)·op(B) + beta·C} on {@code device} with the selected
     * provider (float32: own kernels or cuBLAS; float64: cuBLAS).
     */
    static void gemm(CudaDevice device, DType dt, int m, int n, int k, double alpha, Operand a, Operand b, double beta,
                     long c, int ldc, long strideC, int batch) {
        if (dt == DType.FLOAT64 || Cuda.blas() == Cuda.Blas.CUBLAS) {
            device.makeCurrent(); // the handle belongs to this device's context
            Cublas.gemm(device.cublas(), dt == DType.FLOAT64, a.trans(), b.trans(), m, n, k, alpha, a.address(), a.ld(), a.batchStride(),
                    b.address(), b.ld(), b.batchStride(), beta, c, ldc, strideC, batch);
            return;
        }
        long tiles = (long) ((m + 127) / 128) * ((n + 127) / 128) * batch;
        // Measured on an H100 (docs/cuda.md): the warp-tiled kernel is fastest once every SM has a 128×128 tile.
        if (tiles >= device.multiprocessors()) {
            sgemm(device, Variant.WARPTILED, m, n, k, (float) alpha, a, b, (float) beta, c, ldc, strideC, batch);
            return;
        }
        int slices = batch == 1 && beta == 0 ? splitsFor(device, m, n, k) : 1;
        if (slices > 1) {
            splitK(device, slices, m, n, k, (float) alpha, a, b, c, ldc);
            return;
        }
        sgemm(device, Variant.REG64, m, n, k, (float) alpha, a, b, (float) beta, c, ldc, strideC, batch);
    }

    /** How many K slices give a product with few 64×64 tiles enough blocks (1: it has enough already, or K is short). */
    static int splitsFor(CudaDevice device, int m, int n, int k) {
        long tiles = (long) ((m + 63) / 64) * ((n + 63) / 64);
        int slices = 1;
        while (tiles * slices < 2L * device.multiprocessors() && (long) k / (slices * 2) >= 128 && slices < 64) slices *= 2;
        return slices;
    }

    /**
     * A long-K product with few output tiles as a batch of partial products over K slices into a
     * workspace, then one pass adding the slices ({@code splitk.cu}): the GPU is filled instead of
     * a handful of blocks each walking all of K.
     */
    static void splitK(CudaDevice device, int slices, int m, int n, int k, float alpha, Operand a, Operand b, long c, int ldc) {
        int chunk = (k + slices - 1) / slices;
        chunk = (chunk + 15) / 16 * 16;
        int full = k / chunk, rest = k - full * chunk;
        int parts = full + (rest > 0 ? 1 : 0);
        Tensor ws = Tensor.empty(DType.FLOAT32, org.sinter.Device.cuda(device.index()), parts, m, n);
        long wsAddr = CudaBackend.address(ws), sliceBytes = (long) m * n * 4;
        // Slice s of op(A) starts chunk·s columns in (rows of a transposed A), of op(B) chunk·s rows in.
        long aStep = a.trans() ? (long) chunk * a.ld() : chunk, bStep = b.trans() ? chunk : (long) chunk * b.ld();
        if (full > 0) {
            sgemm(device, Variant.REG64, m, n, chunk, alpha, new Operand(a.address(), a.ld(), aStep, a.trans()),
                    new Operand(b.address(), b.ld(), bStep, b.trans()), 0f, wsAddr, n, (long) m * n, full);
        }
        if (rest > 0) {
            sgemm(device, Variant.REG64, m, n, rest, alpha, new Operand(a.address() + full * aStep * 4, a.ld(), 0, a.trans()),
                    new Operand(b.address() + full * bStep * 4, b.ld(), 0, b.trans()), 0f, wsAddr + full * sliceBytes, n, 0, 1);
        }
        sumSlices(device, DType.FLOAT32, ws, parts, m, n, c, ldc);
        CudaBuffer.release(ws);
    }

    /** {@code C = Σ_s ws[s]} for a workspace of {@code slices} dense m×n products. */
    static void sumSlices(CudaDevice device, DType dt, Tensor ws, int slices, int m, int n, long c, int ldc) {
        Launch.of(device.kernels().resource("splitk.cu", dt == DType.FLOAT64 ? "sum_slices_f64" : "sum_slices_f32"))
                .ptr(CudaBackend.address(ws)).ptr(c).i32(slices).i32(m).i32(n).i32(ldc).i64((long) m * n)
                .grid(Launch.blocksFor((long) m * n, 256, device)).block(256).run(device);
    }

    /** One of Sinter's SGEMM kernels (for the teaching progression and the benchmark). */
    public static void sgemm(CudaDevice device, Variant v, int m, int n, int k, float alpha, Operand a, Operand b, float beta,
                             long c, int ldc, long strideC, int batch) {
        int rowTiles = (m + v.tileM - 1) / v.tileM;
        if (rowTiles > MAX_GRID_YZ) {
            throw new IllegalArgumentException("sgemm: " + m + " rows need " + rowTiles + " row tiles, more than a grid holds ("
                    + MAX_GRID_YZ + "); select cuBLAS (Cuda.setBlas) for this product");
        }
        String name = v.prefix + "_" + (a.trans() ? "t" : "n") + (b.trans() ? "t" : "n");
        // The batch is the grid's z dimension: more than it holds goes in several launches.
        for (int first = 0; first < batch; first += MAX_GRID_YZ) {
            int count = Math.min(MAX_GRID_YZ, batch - first);
            Launch.of(device.kernels().resource("sgemm.cu", name))
                    .i32(m).i32(n).i32(k).f32(alpha)
                    .ptr(a.address() + 4L * first * a.batchStride()).i32(a.ld()).i64(a.batchStride())
                    .ptr(b.address() + 4L * first * b.batchStride()).i32(b.ld()).i64(b.batchStride())
                    .f32(beta).ptr(c + 4L * first * strideC).i32(ldc).i64(strideC)
                    .grid((n + v.tileN - 1) / v.tileN, rowTiles, count).block(v.blockX, v.blockY, 1)
                    .run(device);
        }
    }

    private static final int MAX_GRID_YZ = 65535;

    /** One n×n×n product of dense device matrices: cuBLAS, or Sinter's kernel {@code v} (for benchmarks). */
    public static void benchmarkGemm(CudaDevice device, boolean cublas, Variant v, int n, Tensor a, Tensor b, Tensor c) {
        Operand oa = new Operand(CudaBackend.address(a), n, 0, false), ob = new Operand(CudaBackend.address(b), n, 0, false);
        if (cublas) {
            Cublas.gemm(device.cublas(), false, false, false, n, n, n, 1, oa.address(), n, 0, ob.address(), n, 0, 0, CudaBackend.address(c), n, 0, 1);
        } else {
            sgemm(device, v, n, n, n, 1f, oa, ob, 0f, CudaBackend.address(c), n, 0, 1);
        }
    }

    /** How a [batch, rows, cols] tensor can be read as a GEMM operand without a copy, or null. */
    static Operand operand(Tensor t) {
        int[] s = t.stride();
        int rows = t.size(1), cols = t.size(2);
        long bs = t.size(0) == 1 ? 0 : s[0];
        if ((s[2] == 1 || cols == 1) && s[1] >= Math.max(1, cols)) return new Operand(CudaBackend.address(t), Math.max(s[1], 1), bs, false);
        if ((s[1] == 1 || rows == 1) && s[2] >= Math.max(1, rows)) return new Operand(CudaBackend.address(t), Math.max(s[2], 1), bs, true);
        return null;
    }

    /** {@code [B, M, K] @ [B, K, N]}; null for dtypes the GPU does not multiply. */
    static Tensor bmm(Tensor a, Tensor b) {
        DType dt = a.dtype();
        if (dt != b.dtype() || !(dt == DType.FLOAT32 || (dt == DType.FLOAT64 && Cublas.isAvailable()))) return null;
        int batch = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
        Tensor out = CudaBackend.empty(dt, a, batch, m, n);
        if (out.numel() == 0) return out;
        if (k == 0) {
            PointwiseOps.fill(out, 0);
            return out;
        }
        Operand oa = operand(a), ob = operand(b);
        if (oa == null) oa = operand(a = a.contiguous());
        if (ob == null) ob = operand(b = b.contiguous());
        gemm(CudaBackend.deviceOf(out), dt, m, n, k, 1, oa, ob, 0, CudaBackend.address(out), n, (long) m * n, batch);
        // Operands are raw addresses: keep their tensors (and so their blocks) alive until the kernels are queued.
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }
}
