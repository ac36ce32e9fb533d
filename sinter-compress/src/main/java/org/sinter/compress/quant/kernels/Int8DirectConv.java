package org.sinter.compress.quant.kernels;

import java.util.concurrent.ConcurrentHashMap;
import org.sinter.DType;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.ConvKernels;
import org.sinter.kernels.conv.PackedConv;

/**
 * int8 convolution on sinter-core's float32 convolution kernels run on integer-valued float32 lanes.
 * Where the packed direct convolution applies ({@link PackedConv}: packed filter, a register tile of
 * 2 channel vectors x 6 pixels, the input read in place; layers with at least a vector of output
 * channels) requantization runs in its per-block epilogue; other layers (LeNet's 1 -> 6 first
 * convolution: too few channels for a vector of them) take whatever {@link ConvKernels#conv} picks
 * for that shape (its direct plane kernel, or im2col + GEMM), followed by one epilogue pass per
 * image.
 *
 * <p>Exactness. The filter holds {@code w - zw} and the input {@code x - zx} (padding is then 0,
 * which is what the zero point stands for), both integers. Every partial sum of a channel's
 * products, in whatever order the kernel adds them, is an integer of magnitude at most
 * {@code sumAbs[c] * maxAbsX}, where {@code sumAbs[c] = Σ_t |w[c,t] - zw[c]|} and {@code maxAbsX}
 * bounds {@code |x - zx|} over the input's quantized range. float32 represents every integer below
 * 2^24 exactly, and a fused multiply-add of exact operands whose result is such an integer is
 * exact; so when {@code max_c sumAbs[c] * maxAbsX < 2^24} ({@link #exact}) the float sums are the
 * int32 sums, and the output is byte for byte the im2col path's. Layers past the bound (ResNet's
 * 256- and 512-channel 3x3 convolutions) stay on {@link U8Gemm}.
 *
 * <p>Why float lanes rather than 16-bit integer ones: without a VNNI or {@code vpmaddwd}
 * intrinsic in the Vector API, a pair of 16-bit products must be widened to int32 with an add, a
 * shift and an add per accumulator; measured on this box's AVX-512 EPYC (thread CPU time, same
 * 6-pixel tile, K = 288) that inner loop did 61-68 G MAC/s against 55-58 for float FMA, too little
 * to pay for a second kernel and its zero-point bookkeeping. Direct float lanes remove what made
 * the int8 path slow: the im2col matrix of shorts (K times the input) and its separate GEMM.
 */
final class Int8DirectConv {
    /** Largest integer up to which float32 counts exactly. */
    static final long FLOAT_EXACT = 1L << 24;

    private final float[] centered;
    private final long maxSumAbs;
    /** Packed filters by geometry (by input size: a model sees one or two). */
    private final ConcurrentHashMap<ConvGeometry, PackedConv.Filter> filters = new ConcurrentHashMap<>();

    /** {@code w} is the qint8 {@code [cout, k]} weight (k = cin * kh * kw) with per-channel zero points {@code zw}. */
    Int8DirectConv(byte[] w, int[] zw, int cout, int k) {
        centered = new float[cout * k];
        long max = 0;
        for (int co = 0; co < cout; co++) {
            long sum = 0;
            for (int i = 0; i < k; i++) {
                int v = w[co * k + i] - zw[co];
                centered[co * k + i] = v;
                sum += Math.abs(v);
            }
            max = Math.max(max, sum);
        }
        maxSumAbs = max;
    }

    /** Whether float lanes give the exact integer sums for inputs whose {@code |x - zx|} is at most {@code maxAbsX}. */
    boolean exact(int maxAbsX) {
        return maxSumAbs * maxAbsX < FLOAT_EXACT;
    }

    /** Whether this kernel applies to the convolution {@code g} (groups 1) with that bound. */
    boolean applies(ConvGeometry g, int maxAbsX) {
        return exact(maxAbsX) && g.groups() == 1;
    }

    /**
     * {@code out[i] = x[i] - zx} for the first {@code n} quint8 bytes, as floats; false (out then
     * undefined) when a byte lies farther than {@code maxAbsX} from {@code zx}, past the range the
     * exactness bound was checked for.
     */
    static boolean center(byte[] x, int n, int zx, int maxAbsX, float[] out) {
        int lo = zx - maxAbsX, hi = zx + maxAbsX, bad = 0;
        for (int i = 0; i < n; i++) {
            int v = x[i] & 0xFF;
            bad |= (v < lo || v > hi) ? 1 : 0;
            out[i] = v - zx;
        }
        return bad == 0;
    }

    /** Told a finished block of exact sums: channels {@code [k0, k0+nk)}, pixels {@code [p0, p0+np)} of {@code sample}, in {@code sums} (NCHW). */
    @FunctionalInterface
    interface Epilogue {
        void block(float[] sums, int sample, int k0, int nk, int p0, int np);
    }

    /**
     * Runs the convolution {@code g} of {@code nb} quint8 NCHW images with zero point {@code zx}, handing each
     * finished block to {@code epilogue}; returns false, having run nothing, when a value of the
     * input lies outside the range {@link #exact} was checked for (a tensor whose bytes stray past
     * its qparams' range).
     */
    boolean run(ConvGeometry g, byte[] x, int nb, int zx, int maxAbsX, Epilogue epilogue) {
        PackedConv.Filter f = PackedConv.applies(g) ? filters.computeIfAbsent(g, key -> PackedConv.pack(g, centered, 0)) : null;
        Scratch b = Scratch.get();
        int n = nb * g.c() * g.inPlane();
        float[] xf = b.input(n);
        if (!center(x, n, zx, maxAbsX, xf)) return false;
        float[] sums = b.sums(nb * g.k() * g.outPlane());
        if (f != null) {
            PackedConv.conv(g, nb, xf, 0, f, null, 0, sums, 0, (sample, k0, nk, p0, np) -> epilogue.block(sums, sample, k0, nk, p0, np));
        } else {
            ConvKernels.conv(DType.FLOAT32, g, nb, xf, 0, centered, 0, null, 0, sums, 0);
            Parallel.forRange(nb, 1, (s, e) -> {
                for (int sample = s; sample < e; sample++) epilogue.block(sums, sample, 0, g.k(), 0, g.outPlane());
            });
        }
        return true;
    }
}
