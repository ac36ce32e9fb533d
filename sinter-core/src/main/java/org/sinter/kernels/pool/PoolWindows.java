package org.sinter.kernels.pool;

/**
 * Where each output pixel of an average pool reads: per output row {@code [hs, he)} and per
 * output column {@code [ws, we)} (already clipped to the input), and the divisor. One description
 * serves {@code avg_pool2d} (padding, ceil mode, count_include_pad, divisor_override) and
 * {@code adaptive_avg_pool2d}: the divisor is {@code override} when positive, else
 * {@code hPool[oh] * wPool[ow]} when padding counts, else the clipped window's area.
 */
public record PoolWindows(int h, int w, int[] hs, int[] he, int[] ws, int[] we, int[] hPool, int[] wPool,
                          boolean countPadding, int override) {

    public int oh() { return hs.length; }

    public int ow() { return ws.length; }

    /** The divisor of output pixel (oy, ox); 0 for an empty window (its output is 0). */
    public int divisor(int oy, int ox) {
        if (he[oy] <= hs[oy] || we[ox] <= ws[ox]) return 0;
        if (override > 0) return override;
        return countPadding ? hPool[oy] * wPool[ox] : (he[oy] - hs[oy]) * (we[ox] - ws[ox]);
    }

    /** avg_pool2d windows along one dimension: {@code [start, end, poolSize]} arrays. */
    public static int[][] avgAxis(int in, int out, int kernel, int stride, int pad) {
        int[] s = new int[out], e = new int[out], pool = new int[out];
        for (int o = 0; o < out; o++) {
            int start = o * stride - pad, end = Math.min(start + kernel, in + pad);
            pool[o] = end - start;
            s[o] = Math.max(start, 0);
            e[o] = Math.min(end, in);
        }
        return new int[][] {s, e, pool};
    }

    /** adaptive_avg_pool2d windows along one dimension: floor(o*in/out) to ceil((o+1)*in/out). */
    public static int[][] adaptiveAxis(int in, int out) {
        int[] s = new int[out], e = new int[out], pool = new int[out];
        for (int o = 0; o < out; o++) {
            s[o] = (int) Math.floorDiv((long) o * in, out);
            e[o] = (int) Math.ceilDiv((long) (o + 1) * in, out);
            pool[o] = e[o] - s[o];
        }
        return new int[][] {s, e, pool};
    }
}
