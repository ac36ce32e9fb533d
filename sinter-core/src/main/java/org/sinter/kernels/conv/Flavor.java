package org.sinter.kernels.conv;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.kernels.gemm.Gemm;

/**
 * The element-type-specific primitives the convolution drivers need (float32 or float64 arrays
 * behind {@code Object}): buffers, im2col/col2im, GEMM and a few row operations. The drivers are
 * written once against this interface; the per-call dispatch cost is per (sample, group), never
 * per element.
 */
interface Flavor {
    Object alloc(int n);

    void im2col(ConvGeometry g, Object x, int xOff, Object cols);

    void col2im(ConvGeometry g, Object cols, Object x, int xOff);

    /** Row-major {@code C = op(A) op(B) + beta C}. */
    void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb,
              double beta, Object c, int cOff, int ldc);

    /** Sets {@code rows} consecutive rows of length {@code len} starting at {@code off} to {@code v[vOff + r]} each. */
    void fillRows(Object dst, int off, int rows, int len, Object v, int vOff);

    void zero(Object a, int from, int to);

    /** {@code dst[0..n) += src[0..n)}. */
    void addInto(Object dst, Object src, int n);

    static Flavor of(DType dt) {
        return switch (dt) {
            case FLOAT32 -> F32.INSTANCE;
            case FLOAT64 -> F64.INSTANCE;
            default -> throw new IllegalArgumentException("convolution kernels compute in float32 or float64, got " + dt);
        };
    }

    /** float32 arrays. */
    enum F32 implements Flavor {
        INSTANCE;

        @Override public Object alloc(int n) { return new float[n]; }

        @Override public void im2col(ConvGeometry g, Object x, int xOff, Object cols) { Im2Col.im2col(g, (float[]) x, xOff, (float[]) cols); }

        @Override public void col2im(ConvGeometry g, Object cols, Object x, int xOff) { Im2Col.col2im(g, (float[]) cols, (float[]) x, xOff); }

        @Override
        public void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb,
                         double beta, Object c, int cOff, int ldc) {
            Gemm.sgemm(ta, tb, m, n, k, 1f, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, (float) beta, (float[]) c, cOff, ldc);
        }

        @Override
        public void fillRows(Object dst, int off, int rows, int len, Object v, int vOff) {
            float[] d = (float[]) dst, s = (float[]) v;
            for (int r = 0; r < rows; r++) Arrays.fill(d, off + r * len, off + (r + 1) * len, s[vOff + r]);
        }

        @Override public void zero(Object a, int from, int to) { Arrays.fill((float[]) a, from, to, 0f); }

        @Override
        public void addInto(Object dst, Object src, int n) {
            float[] d = (float[]) dst, s = (float[]) src;
            for (int i = 0; i < n; i++) d[i] += s[i];
        }
    }

    /** float64 arrays (gradient checks, users who ask for double). */
    enum F64 implements Flavor {
        INSTANCE;

        @Override public Object alloc(int n) { return new double[n]; }

        @Override public void im2col(ConvGeometry g, Object x, int xOff, Object cols) { Im2Col.im2col(g, (double[]) x, xOff, (double[]) cols); }

        @Override public void col2im(ConvGeometry g, Object cols, Object x, int xOff) { Im2Col.col2im(g, (double[]) cols, (double[]) x, xOff); }

        @Override
        public void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb,
                         double beta, Object c, int cOff, int ldc) {
            Gemm.dgemm(ta, tb, m, n, k, 1.0, (double[]) a, aOff, lda, (double[]) b, bOff, ldb, beta, (double[]) c, cOff, ldc);
        }

        @Override
        public void fillRows(Object dst, int off, int rows, int len, Object v, int vOff) {
            double[] d = (double[]) dst, s = (double[]) v;
            for (int r = 0; r < rows; r++) Arrays.fill(d, off + r * len, off + (r + 1) * len, s[vOff + r]);
        }

        @Override public void zero(Object a, int from, int to) { Arrays.fill((double[]) a, from, to, 0.0); }

        @Override
        public void addInto(Object dst, Object src, int n) {
            double[] d = (double[]) dst, s = (double[]) src;
            for (int i = 0; i < n; i++) d[i] += s[i];
        }
    }
}
