package org.sinter.backend.cpu;

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
        if (ds == 1) {
            if (dt == st && ss == 1) System.arraycopy(s.array(), sOff, d.array(), dOff, n);
            else convertRow(st, s.array(), sOff, ss, dt, d.array(), dOff, n);
            return;
        }
        // A strided destination (writing through a view): convert the row densely, then scatter it.
        Object row = Tensor.empty(dt, n).storage().array();
        convertRow(st, s.array(), sOff, ss, dt, row, 0, n);
        Object y = d.array();
        switch (dt) {
            case FLOAT32 -> { float[] r = (float[]) row, t = (float[]) y; for (int i = 0; i < n; i++) t[dOff + i * ds] = r[i]; }
            case FLOAT64 -> { double[] r = (double[]) row, t = (double[]) y; for (int i = 0; i < n; i++) t[dOff + i * ds] = r[i]; }
            case INT32 -> { int[] r = (int[]) row, t = (int[]) y; for (int i = 0; i < n; i++) t[dOff + i * ds] = r[i]; }
            case INT64 -> { long[] r = (long[]) row, t = (long[]) y; for (int i = 0; i < n; i++) t[dOff + i * ds] = r[i]; }
            case BOOL -> { byte[] r = (byte[]) row, t = (byte[]) y; for (int i = 0; i < n; i++) t[dOff + i * ds] = r[i]; }
            case BFLOAT16, FLOAT16 -> { short[] r = (short[]) row, t = (short[]) y; for (int i = 0; i < n; i++) t[dOff + i * ds] = r[i]; }
        }
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
        ConvertKernels.convert(st, x, xOff, xStride, dt, y, yOff, n);
    }

    /** {@code t} as a dense tensor of dtype {@code dt} (t itself when it already is one). */
    public static Tensor dense(Tensor t, DType dt) {
        if (t.dtype() == dt && t.isContiguous()) return t;
        Tensor out = Tensor.empty(dt, t.shape());
        copyInto(out, t);
        return out;
    }
}
