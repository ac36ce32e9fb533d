package org.sinter.compress.quant.kernels;

/** Per-output-channel epilogue loops over a row of raw int32 sums (the conv's pixels). */
final class Epilogue {
    private Epilogue() {}

    /**
     * One output channel: {@code acc = raw + fixed - offset * colSum[p]} (the zero-point
     * correction), then {@link Requantize}'s arithmetic with its per-channel constants hoisted.
     */
    record Channel(Requantize e, float actTimesWScale, float bias, int fixed, int offset) {
        void toBytes(int[] raw, int from, int[] colSums, int colFrom, byte[] out, int to, int n) {
            float biasTerm = bias / actTimesWScale, mult = actTimesWScale / e.outScale();
            int zo = e.outZeroPoint(), lo = e.relu() ? Math.max(e.outMin(), zo) : e.outMin(), hi = e.outMax();
            RoundToBytes.requantize(raw, from, fixed, offset, colSums, colFrom, biasTerm, mult, zo, lo, hi, out, to, n);
        }

        /** {@link #toBytes} for exact sums held in float32, already zero-point corrected ({@code fixed} and {@code offset} 0). */
        void toBytes(float[] sums, int from, byte[] out, int to, int n) {
            float biasTerm = bias / actTimesWScale, mult = actTimesWScale / e.outScale();
            int zo = e.outZeroPoint(), lo = e.relu() ? Math.max(e.outMin(), zo) : e.outMin(), hi = e.outMax();
            RoundToBytes.requantize(sums, from, biasTerm, mult, zo, lo, hi, out, to, n);
        }

        /** {@link #toFloat} for exact sums held in float32, already zero-point corrected. */
        void toFloat(float[] sums, int from, float[] out, int to, int n) {
            for (int i = 0; i < n; i++) {
                float y = sums[from + i] * actTimesWScale + bias;
                out[to + i] = e.relu() ? Math.max(0f, y) : y;
            }
        }

        void toFloat(int[] raw, int from, int[] colSums, int colFrom, float[] out, int to, int n) {
            for (int i = 0; i < n; i++) {
                int acc = raw[from + i] + fixed - offset * colSums[colFrom + i];
                float y = acc * actTimesWScale + bias;
                out[to + i] = e.relu() ? Math.max(0f, y) : y;
            }
        }
    }
}
