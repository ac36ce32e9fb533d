package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.DType;
import org.sinter.kernels.Parallel;

/**
 * Direct float32 convolution for unit stride and small receptive fields per group (few input
 * channels, e.g. the first layer of an image model, or depthwise convolutions), where im2col
 * would feed the GEMM a tiny inner dimension.
 *
 * <p>The trick is a "wide" output: with input rows of width {@code Wp} (padded when needed),
 * output pixel {@code (oy, ox)} at wide position {@code oy*Wp + ox} reads input position
 * {@code wide + i*dh*Wp + j*dw} for tap (i, j). So each tap is one long unit-stride vector
 * stream over the whole plane, and a register block of {@link #KB} output channels shares every
 * input load. The {@code Wp - ow} junk columns per row are computed and dropped.
 */
final class DirectConv {
    private DirectConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Output channels computed together (each an accumulator register). */
    static final int KB = 4;
    /**
     * Largest receptive field per group (cg·kh·kw) the direct path takes; larger ones go to im2col +
     * GEMM. System property {@code sinter.conv.directMaxPatch} overrides it, for measuring.
     */
    static final int MAX_PATCH = Integer.getInteger("sinter.conv.directMaxPatch", 32);
    /**
     * Output channels per group below which the direct path wins. Measured (docs/bench/conv.md,
     * 2 threads): LeNet's 1→6 5x5 is faster direct (1.0 vs 1.3 ms), the Lab 1 CNN's 1→32 3x3 is
     * faster by im2col + GEMM (1.7 vs 2.5 ms: the GEMM's register tile fills with 32 rows, and a
     * 9-tap plane pass is too short to hide the copy-out of the wide rows). Depthwise (1 per
     * group) is the extreme case: a GEMM with one row. System property
     * {@code sinter.conv.directMaxOutputs} overrides it, for measuring.
     */
    static final int MAX_GROUP_OUTPUTS = Integer.getInteger("sinter.conv.directMaxOutputs", 16);

    static boolean applies(ConvGeometry g) {
        return g.sh() == 1 && g.sw() == 1 && g.patch() <= MAX_PATCH && g.kg() < MAX_GROUP_OUTPUTS && g.oh() > 0 && g.ow() > 0;
    }

    static void conv(DType dt, ConvGeometry g, int n, Object x, int xOff, Object w, int wOff, Object bias, int bOff, Object y, int yOff) {
        if (dt != DType.FLOAT32) throw new IllegalArgumentException("direct convolution is float32 only");
        float[] xs = (float[]) x, ws = (float[]) w, bs = (float[]) bias, ys = (float[]) y;
        int hp = g.oh() + (g.kh() - 1) * g.dh(), wp = g.ow() + (g.kw() - 1) * g.dw();
        boolean padded = hp != g.h() || wp != g.w() || g.ph() != 0 || g.pw() != 0;
        int planeP = hp * wp, wide = (g.oh() - 1) * wp + g.ow();
        // Work items: (sample, group, block of KB output channels).
        int blocks = Math.ceilDiv(g.kg(), KB), items = n * g.groups() * blocks;
        int[] tapOff = new int[g.patch()];
        for (int c = 0, t = 0; c < g.cg(); c++)
            for (int i = 0; i < g.kh(); i++)
                for (int j = 0; j < g.kw(); j++, t++) tapOff[t] = c * planeP + i * g.dh() * wp + j * g.dw();
        Parallel.forRange(items, 1, (s, e) -> {
            float[] pad = padded ? new float[g.cg() * planeP] : null;
            float[] acc = new float[KB * wide];
            int lastPadded = -1;
            for (int it = s; it < e; it++) {
                int sample = it / (g.groups() * blocks), rest = it % (g.groups() * blocks), gr = rest / blocks, blk = rest % blocks;
                int inBase = xOff + (sample * g.c() + gr * g.cg()) * g.inPlane();
                float[] src = xs;
                int srcBase = inBase;
                if (padded) {
                    int key = sample * g.groups() + gr;
                    if (key != lastPadded) {
                        padPlanes(g, g.cg(), xs, inBase, pad, 0, hp, wp);
                        lastPadded = key;
                    }
                    src = pad;
                    srcBase = 0;
                }
                int k0 = gr * g.kg() + blk * KB, kb = Math.min(KB, gr * g.kg() + g.kg() - k0);
                planeBlock(g, src, srcBase, tapOff, ws, wOff + k0 * g.patch(), kb, wide, acc);
                for (int q = 0; q < kb; q++) {
                    int k = k0 + q;
                    float b = bs == null ? 0f : bs[bOff + k];
                    int out = yOff + (sample * g.k() + k) * g.outPlane();
                    for (int oy = 0; oy < g.oh(); oy++) {
                        int from = q * wide + oy * wp, to = out + oy * g.ow();
                        for (int ox = 0; ox < g.ow(); ox++) ys[to + ox] = acc[from + ox] + b;
                    }
                }
            }
        });
    }

    /**
     * Copies {@code planes} input planes from {@code x[base]} into {@code hp x wp} planes from
     * {@code dst[dOff]} (top/left padding ph/pw). Only the in-bounds pixels are written, so the
     * padding stays what dst held: zeros of a fresh array, or of a buffer only ever filled this way.
     */
    static void padPlanes(ConvGeometry g, int planes, float[] x, int base, float[] dst, int dOff, int hp, int wp) {
        int from = Math.max(0, -g.pw()), to = Math.min(g.w(), wp - g.pw());
        if (to <= from) return;
        for (int c = 0; c < planes; c++) {
            for (int r = 0; r < g.h(); r++) {
                int pr = r + g.ph();
                if (pr < 0 || pr >= hp) continue;
                System.arraycopy(x, base + c * g.inPlane() + r * g.w() + from, dst, dOff + c * hp * wp + pr * wp + from + g.pw(), to - from);
            }
        }
    }

    /** acc[q][p] = Σ_t w[k0+q][t] · src[base + tapOff[t] + p] for the wide positions p. */
    private static void planeBlock(ConvGeometry g, float[] src, int base, int[] tapOff, float[] w, int wBase, int kb, int wide, float[] acc) {
        int patch = tapOff.length, vl = S.length(), bound = S.loopBound(wide);
        int w0 = wBase, w1 = wBase + patch, w2 = wBase + 2 * patch, w3 = wBase + 3 * patch;
        if (kb == KB) {
            int p = 0;
            for (; p < bound; p += vl) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                for (int t = 0; t < patch; t++) {
                    FloatVector v = FloatVector.fromArray(S, src, base + tapOff[t] + p);
                    a0 = v.fma(FloatVector.broadcast(S, w[w0 + t]), a0);
                    a1 = v.fma(FloatVector.broadcast(S, w[w1 + t]), a1);
                    a2 = v.fma(FloatVector.broadcast(S, w[w2 + t]), a2);
                    a3 = v.fma(FloatVector.broadcast(S, w[w3 + t]), a3);
                }
                ((FloatVector) FLOAT.cast(a0)).intoArray(acc, p);
                ((FloatVector) FLOAT.cast(a1)).intoArray(acc, wide + p);
                ((FloatVector) FLOAT.cast(a2)).intoArray(acc, 2 * wide + p);
                ((FloatVector) FLOAT.cast(a3)).intoArray(acc, 3 * wide + p);
            }
            for (; p < wide; p++) {
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int t = 0; t < patch; t++) {
                    float v = src[base + tapOff[t] + p];
                    s0 += v * w[w0 + t];
                    s1 += v * w[w1 + t];
                    s2 += v * w[w2 + t];
                    s3 += v * w[w3 + t];
                }
                acc[p] = s0;
                acc[wide + p] = s1;
                acc[2 * wide + p] = s2;
                acc[3 * wide + p] = s3;
            }
            return;
        }
        for (int q = 0; q < kb; q++) {
            int wq = wBase + q * patch, p = 0;
            for (; p < bound; p += vl) {
                FloatVector a = FloatVector.zero(S);
                for (int t = 0; t < patch; t++) a = ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + tapOff[t] + p))).fma(FloatVector.broadcast(S, w[wq + t]), a);
                ((FloatVector) FLOAT.cast(a)).intoArray(acc, q * wide + p);
            }
            for (; p < wide; p++) {
                float s0 = 0;
                for (int t = 0; t < patch; t++) s0 += src[base + tapOff[t] + p] * w[wq + t];
                acc[q * wide + p] = s0;
            }
        }
    }
}
