package org.sinter.compress.quant.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.PackedB;

/**
 * The int32 sums {@code Σ_k (x[i,k] - zx)(w[j,k] - zw[j])} of an int8 linear layer computed by
 * sinter-core's float32 GEMM on integer-valued lanes, the Linear counterpart of
 * {@link Int8DirectConv} (whose comment gives the exactness argument: every partial sum is an
 * integer below 2^24 in magnitude, so every float operation on them is exact).
 *
 * <p>A wide layer (the Lab 1 CNN's 9216 inputs) can pass the bound over its whole depth, so the
 * depth is cut into chunks that each stay below it for the input's quantized range
 * ({@code |x - zx| <= maxAbsX}); each chunk is one GEMM on its own packed slice of the weight, and
 * the chunks' exact sums are added in int32.
 */
final class ExactFloatGemm {
    private final float[] centered;
    private final int n, k;
    /** Per input bound {@code maxAbsX}: the chunk starts and their packed weight slices (a model sees one bound). */
    private final ConcurrentHashMap<Integer, Plan> plans = new ConcurrentHashMap<>();

    private record Plan(int[] starts, PackedB[] slices) {}

    /** {@code w} is the qint8 {@code [n, k]} weight with per-output zero points {@code zw}. */
    ExactFloatGemm(byte[] w, int[] zw, int n, int k) {
        this.n = n;
        this.k = k;
        centered = new float[n * k];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < k; i++) centered[j * k + i] = w[j * k + i] - zw[j];
    }

    /** Depth chunks whose {@code max_j Σ_{k in chunk} |w[j,k] - zw[j]| * maxAbsX} stays below 2^24, greedily. */
    int[] chunkStarts(int maxAbsX) {
        long limit = maxAbsX == 0 ? Long.MAX_VALUE : (Int8DirectConv.FLOAT_EXACT - 1) / maxAbsX;
        List<Integer> starts = new ArrayList<>(List.of(0));
        long[] sum = new long[n];
        for (int i = 0; i < k; i++) {
            boolean fits = true;
            for (int j = 0; j < n && fits; j++) fits = sum[j] + Math.abs(centered[j * k + i]) <= limit;
            if (!fits) {
                starts.add(i);
                java.util.Arrays.fill(sum, 0);
            }
            for (int j = 0; j < n; j++) sum[j] += (long) Math.abs(centered[j * k + i]);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private Plan plan(int maxAbsX) {
        return plans.computeIfAbsent(maxAbsX, b -> {
            int[] starts = chunkStarts(b);
            PackedB[] slices = new PackedB[starts.length];
            for (int c = 0; c < starts.length; c++) {
                int end = c + 1 < starts.length ? starts[c + 1] : k;
                slices[c] = PackedB.pack(true, end - starts[c], n, centered, starts[c], k);
            }
            return new Plan(starts, slices);
        });
    }

    /**
     * The exact sums {@code [m, n]} for the quint8 rows {@code x [m, k]} with zero point {@code zx}, or
     * null, having computed nothing, when a byte of {@code x} lies farther than {@code maxAbsX} from
     * {@code zx} (a tensor whose bytes stray past its qparams' range).
     */
    int[] run(byte[] x, int m, int zx, int maxAbsX) {
        Scratch b = Scratch.get();
        float[] xf = b.input(m * k);
        if (!Int8DirectConv.center(x, m * k, zx, maxAbsX, xf)) return null;
        Plan p = plan(maxAbsX);
        float[] c = b.sums(m * n);
        int[] sums = new int[m * n];
        for (int ch = 0; ch < p.starts().length; ch++) {
            Gemm.sgemm(false, m, xf, p.starts()[ch], k, p.slices()[ch], c, 0, n, null);
            for (int i = 0; i < m * n; i++) sums[i] += (int) c[i];
        }
        return sums;
    }
}
