package org.sinter.kernels.conv;

import org.sinter.DType;
import org.sinter.kernels.Parallel;

/**
 * The three kernels of a 2-D convolution on dense row-major arrays, by im2col + GEMM:
 * <ul>
 *   <li>{@link #conv}: {@code y = conv(x, w) + b}, per sample and group
 *       {@code y_g = w_g[kg, patch] x im2col(x_g)[patch, oh*ow]};</li>
 *   <li>{@link #convTranspose}: its adjoint in {@code x} (the input gradient, and the transposed
 *       convolution), {@code x_g = col2im(w_gᵀ x y_g)};</li>
 *   <li>{@link #weightGrad}: its adjoint in {@code w}, {@code dw_g = Σ_n dy_g x im2col(x_g)ᵀ}.</li>
 * </ul>
 * Pointwise convolutions (1x1, stride 1, no padding) skip im2col: the input planes already are the
 * column matrix. Work is split over the samples; a batch of one leaves the threads to the GEMM.
 * Each thread allocates one column buffer per call, never per element.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /**
     * Whether float32 convolutions with small receptive fields take {@link DirectConv} (system
     * property {@code sinter.conv.direct}: "auto", the default, or "off" to measure im2col alone).
     */
    static final boolean DIRECT = !"off".equals(System.getProperty("sinter.conv.direct", "auto"));

    private static void forSamples(int n, Parallel.RangeBody body) {
        if (n <= 1) body.run(0, n);
        else Parallel.forRange(n, 1, body);
    }

    /**
     * {@code y[n,k,oh,ow] = conv(x[n,c,h,w], w[k,c/groups,kh,kw]) + bias[k]} (bias may be null).
     * Arrays are dense in {@code dt} (float32 or float64), starting at the given offsets.
     */
    public static void conv(DType dt, ConvGeometry g, int n, Object x, int xOff, Object w, int wOff,
                            Object bias, int bOff, Object y, int yOff) {
        // One input channel: a stencil per plane, vectorized along the output rows (packing its filter is a few hundred floats).
        if (dt == DType.FLOAT32 && OneChannelConv.applies(g) && n > 0) {
            OneChannelConv.conv(g, n, (float[]) x, xOff, OneChannelConv.pack(g, (float[]) w, wOff), (float[]) bias, bOff, false, (float[]) y, yOff, null);
            return;
        }
        // 3x3 stride 1 with enough channels and tiles: Winograd's fewer multiplies (the filter transform is per call here).
        if (dt == DType.FLOAT32 && n > 0 && WinogradConv.preferred(g, n, false)) {
            WinogradConv.conv(g, n, (float[]) x, xOff, WinogradConv.pack(g, n, (float[]) w, wOff), (float[]) bias, bOff, false, (float[]) y, yOff, null);
            return;
        }
        if (DIRECT && dt == DType.FLOAT32 && DirectConv.applies(g) && n > 0) {
            DirectConv.conv(dt, g, n, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        // Packing the filter costs a pass over it: worth it once every weight meets enough output pixels.
        if (dt == DType.FLOAT32 && PackedConv.applies(g) && (long) n * g.outPlane() >= PACKED_MIN_PIXELS) {
            PackedConv.conv(g, n, (float[]) x, xOff, PackedConv.pack(g, (float[]) w, wOff), (float[]) bias, bOff, (float[]) y, yOff, null);
            return;
        }
        convIm2col(dt, g, n, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    /** Output pixels per call (batch x plane) from which an eager float32 convolution packs its filter for {@link PackedConv}. */
    static final int PACKED_MIN_PIXELS = 256;

    /** {@link #conv} by im2col + GEMM whatever the geometry (public so benchmarks and tests can compare the paths). */
    public static void convIm2col(DType dt, ConvGeometry g, int n, Object x, int xOff, Object w, int wOff,
                                  Object bias, int bOff, Object y, int yOff) {
        Flavor f = Flavor.of(dt);
        boolean pointwise = g.pointwise();
        int patch = g.patch(), plane = g.outPlane(), kg = g.kg(), cg = g.cg();
        forSamples(n, (s, e) -> {
            Object cols = pointwise ? null : f.alloc(patch * plane);
            for (int i = s; i < e; i++) {
                for (int gr = 0; gr < g.groups(); gr++) {
                    int yo = yOff + (i * g.k() + gr * kg) * plane;
                    int xo = xOff + (i * g.c() + gr * cg) * g.inPlane();
                    double beta = 0;
                    if (bias != null) {
                        f.fillRows(y, yo, kg, plane, bias, bOff + gr * kg);
                        beta = 1;
                    }
                    if (pointwise) {
                        f.gemm(false, false, kg, plane, patch, w, wOff + gr * kg * patch, patch, x, xo, plane, beta, y, yo, plane);
                    } else {
                        f.im2col(g, x, xo, cols);
                        f.gemm(false, false, kg, plane, patch, w, wOff + gr * kg * patch, patch, cols, 0, plane, beta, y, yo, plane);
                    }
                }
            }
        });
    }

    /**
     * {@code x[n,c,h,w] = convTranspose(y[n,k,oh,ow], w[k,c/groups,kh,kw]) + bias[c]}: the adjoint
     * of {@link #conv} with respect to its input. {@code x} is overwritten.
     */
    public static void convTranspose(DType dt, ConvGeometry g, int n, Object y, int yOff, Object w, int wOff,
                                     Object bias, int bOff, Object x, int xOff) {
        // With unit stride the adjoint is itself a convolution (flipped, channel-swapped filter): the direct kernel runs it.
        ConvGeometry t = dt == DType.FLOAT32 ? PackedConv.transposed(g) : null;
        if (t != null && (long) n * t.outPlane() >= PACKED_MIN_PIXELS) {
            PackedConv.conv(t, n, (float[]) y, yOff, PackedConv.packTransposed(g, (float[]) w, wOff), (float[]) bias, bOff, (float[]) x, xOff, null);
            return;
        }
        convTransposeIm2col(dt, g, n, y, yOff, w, wOff, bias, bOff, x, xOff);
    }

    /** {@link #convTranspose} by GEMM + col2im whatever the geometry (public so benchmarks and tests can compare the paths). */
    public static void convTransposeIm2col(DType dt, ConvGeometry g, int n, Object y, int yOff, Object w, int wOff,
                                           Object bias, int bOff, Object x, int xOff) {
        Flavor f = Flavor.of(dt);
        boolean pointwise = g.pointwise();
        int patch = g.patch(), plane = g.outPlane(), kg = g.kg(), cg = g.cg(), inPlane = g.inPlane();
        forSamples(n, (s, e) -> {
            Object cols = pointwise ? null : f.alloc(patch * plane);
            for (int i = s; i < e; i++) {
                for (int gr = 0; gr < g.groups(); gr++) {
                    int yo = yOff + (i * g.k() + gr * kg) * plane;
                    int xo = xOff + (i * g.c() + gr * cg) * inPlane;
                    if (bias != null) f.fillRows(x, xo, cg, inPlane, bias, bOff + gr * cg);
                    else f.zero(x, xo, xo + cg * inPlane);
                    if (pointwise) {
                        f.gemm(true, false, cg, plane, kg, w, wOff + gr * kg * patch, patch, y, yo, plane, 1, x, xo, plane);
                    } else {
                        f.gemm(true, false, patch, plane, kg, w, wOff + gr * kg * patch, patch, y, yo, plane, 0, cols, 0, plane);
                        f.col2im(g, cols, x, xo);
                    }
                }
            }
        });
    }

    /**
     * {@code gw[k,c/groups,kh,kw] = Σ_n dy_n ⋆ x_n}: the adjoint of {@link #conv} with respect to
     * its weight. Threads accumulate private partial sums that are added at the end.
     */
    public static void weightGrad(DType dt, ConvGeometry g, int n, Object x, int xOff, Object gy, int yOff, Object gw) {
        if (DIRECT && dt == DType.FLOAT32 && DirectWeightGrad.applies(g) && n > 0 && !g.pointwise()) {
            DirectWeightGrad.weightGrad(g, n, (float[]) x, xOff, (float[]) gy, yOff, (float[]) gw);
            return;
        }
        weightGradIm2col(dt, g, n, x, xOff, gy, yOff, gw);
    }

    /** The im2col + GEMM weight gradient (package-private so tests can compare the direct path with it). */
    static void weightGradIm2col(DType dt, ConvGeometry g, int n, Object x, int xOff, Object gy, int yOff, Object gw) {
        Flavor f = Flavor.of(dt);
        boolean pointwise = g.pointwise();
        int patch = g.patch(), plane = g.outPlane(), kg = g.kg(), cg = g.cg(), size = g.k() * patch;
        int chunks = Math.max(1, Math.min(n, Parallel.numThreads()));
        Object[] partial = new Object[chunks];
        partial[0] = gw;
        f.zero(gw, 0, size);
        Parallel.RangeBody body = (cs, ce) -> {
            Object cols = pointwise ? null : f.alloc(patch * plane);
            for (int c = cs; c < ce; c++) {
                Object acc = c == 0 ? gw : (partial[c] = f.alloc(size));
                for (int i = (int) ((long) n * c / chunks); i < (int) ((long) n * (c + 1) / chunks); i++) {
                    for (int gr = 0; gr < g.groups(); gr++) {
                        int yo = yOff + (i * g.k() + gr * kg) * plane;
                        int xo = xOff + (i * g.c() + gr * cg) * g.inPlane();
                        Object b = x;
                        int bo = xo;
                        if (!pointwise) {
                            f.im2col(g, x, xo, cols);
                            b = cols;
                            bo = 0;
                        }
                        f.gemm(false, true, kg, patch, plane, gy, yo, plane, b, bo, plane, 1, acc, gr * kg * patch, patch);
                    }
                }
            }
        };
        if (chunks == 1) body.run(0, 1);
        else Parallel.forRange(chunks, 1, body);
        for (int c = 1; c < chunks; c++) f.addInto(gw, partial[c], size);
    }
}
