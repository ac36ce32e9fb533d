package org.sinter.ops;

import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Storage;
import org.sinter.Tensor;
import org.sinter.kernels.ConvertKernels;

/**
 * Raw copies and fills outside autograd: strided, broadcasting, converting between dtypes. The
 * building block of contiguous(), casts, cat, and every op that needs a dense input.
 */
public final class Copy {
    private Copy() {}

    /** Writes {@code value} into every element of {@code t} (which may be a strided view). */
    public static void fill(Tensor t, double value) {
        Storage s = t.storage();
        StridedIter it = new StridedIter(t.shape(), new int[][] {t.stride()}, new int[] {t.storageOffset()});
        DType dt = t.dtype();
        int st = it.innerStrides[0];
        it.forEachRow((offs, n) -> {
            int o = offs[0];
            switch (dt) {
                case FLOAT32 -> { float v = (float) value; float[] a = s.floats(); if (st == 1) java.util.Arrays.fill(a, o, o + n, v); else for (int i = 0; i < n; i++) a[o + i * st] = v; }
                case FLOAT64 -> { double[] a = s.doubles(); if (st == 1) java.util.Arrays.fill(a, o, o + n, value); else for (int i = 0; i < n; i++) a[o + i * st] = value; }
                default -> {
                    for (int i = 0; i < n; i++) s.setDouble(o + i * st, value);
                }
            }
        });
    }

    /** Copies {@code src} into {@code dst}, broadcasting src to dst's shape and converting dtype. */
    public static void copyInto(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        if (!Shape.broadcastableTo(src.shape(), shape)) {
            throw new IllegalArgumentException("copy_: source shape " + java.util.Arrays.toString(src.shape())
                    + " cannot be broadcast to destination shape " + java.util.Arrays.toString(shape));
        }
        int[] srcStrides = Shape.broadcastStrides(src.shape(), src.stride(), shape);
        StridedIter it = new StridedIter(shape, new int[][] {dst.stride(), srcStrides},
                new int[] {dst.storageOffset(), src.storageOffset()});
        Storage d = dst.storage(), s = src.storage();
        int ds = it.innerStrides[0], ss = it.innerStrides[1];
        DType dt = dst.dtype(), st = src.dtype();
        it.forEachRow((offs, n) -> copyRow(d, dt, offs[0], ds, s, st, offs[1], ss, n));
    }

    private static void copyRow(Storage d, DType dt, int dOff, int ds, Storage s, DType st, int sOff, int ss, int n) {
        if (dt == st) {
            Object da = d.array(), sa = s.array();
            if (ds == 1 && ss == 1) {
                System.arraycopy(sa, sOff, da, dOff, n);
                return;
            }
            switch (dt) {
                case FLOAT32 -> { float[] x = (float[]) sa, y = (float[]) da; for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss]; }
                case FLOAT64 -> { double[] x = (double[]) sa, y = (double[]) da; for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss]; }
                case INT32 -> { int[] x = (int[]) sa, y = (int[]) da; for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss]; }
                case INT64 -> { long[] x = (long[]) sa, y = (long[]) da; for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss]; }
                case BOOL -> { byte[] x = (byte[]) sa, y = (byte[]) da; for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss]; }
                case BFLOAT16, FLOAT16 -> { short[] x = (short[]) sa, y = (short[]) da; for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss]; }
            }
            return;
        }
        if (ds == 1) {
            convertRow(st, s.array(), sOff, ss, dt, d.array(), dOff, n);
            return;
        }
        if (dt == DType.FLOAT32 && st == DType.FLOAT64) {
            float[] y = d.floats(); double[] x = s.doubles();
            for (int i = 0; i < n; i++) y[dOff + i * ds] = (float) x[sOff + i * ss];
            return;
        }
        if (dt == DType.FLOAT64 && st == DType.FLOAT32) {
            double[] y = d.doubles(); float[] x = s.floats();
            for (int i = 0; i < n; i++) y[dOff + i * ds] = x[sOff + i * ss];
            return;
        }
        if (dt.isIntegral() || dt == DType.BOOL) {
            if (st.isIntegral() || st == DType.BOOL) {
                for (int i = 0; i < n; i++) d.setLong(dOff + i * ds, s.getLong(sOff + i * ss));
            } else {
                for (int i = 0; i < n; i++) {
                    double v = s.getDouble(sOff + i * ss);
                    if (dt == DType.BOOL) d.setLong(dOff + i * ds, v != 0 ? 1 : 0);
                    else d.setLong(dOff + i * ds, (long) v);
                }
            }
            return;
        }
        if (st == DType.INT64) {
            for (int i = 0; i < n; i++) d.setDouble(dOff + i * ds, (double) s.getLong(sOff + i * ss));
            return;
        }
        for (int i = 0; i < n; i++) d.setDouble(dOff + i * ds, s.getDouble(sOff + i * ss));
    }

    /**
     * {@code dst += src} elementwise, serially, so destinations whose elements overlap (unfold,
     * as_strided views) accumulate every contribution.
     */
    public static void addIntoSerial(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        int[] srcStrides = Shape.broadcastStrides(src.shape(), src.stride(), shape);
        StridedIter it = new StridedIter(shape, new int[][] {dst.stride(), srcStrides},
                new int[] {dst.storageOffset(), src.storageOffset()});
        Storage d = dst.storage(), s = src.storage();
        int ds = it.innerStrides[0], ss = it.innerStrides[1];
        it.forRows(0, it.rows, (offs, n) -> {
            for (int i = 0; i < n; i++) {
                int di = offs[0] + i * ds;
                d.setDouble(di, d.getDouble(di) + s.getDouble(offs[1] + i * ss));
            }
        });
    }

    /** Converts a strided run of {@code n} elements of {@code src} into a contiguous run of {@code dst} (SIMD kernels). */
    static void convertRow(DType st, Object x, int xOff, int xStride, DType dt, Object y, int yOff, int n) {
        switch (st) {
            case FLOAT32 -> {
                float[] a = (float[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.f32ToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.f32ToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.f32ToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.f32ToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.f32ToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.f32ToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.f32ToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
            case FLOAT64 -> {
                double[] a = (double[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.f64ToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.f64ToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.f64ToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.f64ToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.f64ToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.f64ToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.f64ToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
            case INT32 -> {
                int[] a = (int[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.i32ToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.i32ToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.i32ToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.i32ToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.i32ToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.i32ToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.i32ToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
            case INT64 -> {
                long[] a = (long[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.i64ToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.i64ToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.i64ToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.i64ToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.i64ToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.i64ToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.i64ToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
            case BOOL -> {
                byte[] a = (byte[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.boolToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.boolToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.boolToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.boolToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.boolToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.boolToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.boolToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
            case FLOAT16 -> {
                short[] a = (short[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.f16ToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.f16ToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.f16ToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.f16ToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.f16ToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.f16ToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.f16ToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
            case BFLOAT16 -> {
                short[] a = (short[]) x;
                switch (dt) {
                    case FLOAT32 -> ConvertKernels.bf16ToF32(a, xOff, xStride, (float[]) y, yOff, n);
                    case FLOAT64 -> ConvertKernels.bf16ToF64(a, xOff, xStride, (double[]) y, yOff, n);
                    case INT32 -> ConvertKernels.bf16ToI32(a, xOff, xStride, (int[]) y, yOff, n);
                    case INT64 -> ConvertKernels.bf16ToI64(a, xOff, xStride, (long[]) y, yOff, n);
                    case BOOL -> ConvertKernels.bf16ToBool(a, xOff, xStride, (byte[]) y, yOff, n);
                    case FLOAT16 -> ConvertKernels.bf16ToF16(a, xOff, xStride, (short[]) y, yOff, n);
                    case BFLOAT16 -> ConvertKernels.bf16ToBF16(a, xOff, xStride, (short[]) y, yOff, n);
                }
            }
        }
    }

    /** {@code t} as a dense tensor of dtype {@code dt} (t itself when it already is one). */
    public static Tensor dense(Tensor t, DType dt) {
        if (t.dtype() == dt && t.isContiguous()) return t;
        Tensor out = Tensor.empty(dt, t.shape());
        copyInto(out, t);
        return out;
    }
}
