package org.sinter.compress.quant.kernels;

import java.util.Arrays;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/**
 * int8 linear layer kernel: {@code y = x · Wᵀ + b} for a quint8 input {@code [M, K]} and a qint8
 * weight {@code [N, K]} (per-tensor or per-output-channel), with exact int32 sums and a fused
 * {@link Requantize} epilogue. Few rows (batch 1: a pass over the weight, whose bytes stay in cache
 * where its floats would not) run {@link U8Gemm} on the weight packed once (its columns become the
 * vector lanes, shifted to unsigned), as fbgemm's {@code linear_prepack} does; batches of
 * {@link #FLOAT_MIN_ROWS} rows or more run {@link ExactFloatGemm} (sinter-core's float32 GEMM on
 * integer-valued lanes, exact by construction), which measured faster there.
 */
public final class Int8Linear {
    private final int n, k, panels;
    private final short[] packed;
    private final int[] colSums;
    private final int[] wOffset;
    private final float[] wScale;
    private final float[] bias;
    private final int maxW;
    /** The weight's bytes and zero points, for {@link #exact()}. */
    private final byte[] weightBytes;
    private final int[] weightZeros;
    /** Built by the first batch that uses it: its float copy of the weight costs 4x the bytes, and batch-1 models never need it. */
    private volatile ExactFloatGemm exact;

    /**
     * Rows from which the exact float GEMM runs instead of {@link U8Gemm} (system property
     * {@code sinter.int8.linearFloatRows}; a huge value keeps every batch on U8Gemm).
     */
    static final int FLOAT_MIN_ROWS = Integer.getInteger("sinter.int8.linearFloatRows", 8);

    /** @param bias float bias of length N, or null */
    public Int8Linear(QTensor weight, float[] bias) {
        if (weight.dim() != 2) throw new IllegalArgumentException("Int8Linear: weight must be [out, in], got " + Arrays.toString(weight.shape()));
        QParams wq = weight.qparams();
        if (wq.dtype() != QDType.QINT8) throw new IllegalArgumentException("Int8Linear: weight must be qint8, got " + wq.dtype().torchName());
        if (wq.isPerChannel() && wq.axis() != 0) throw new IllegalArgumentException("Int8Linear: per-channel weight qparams must be on axis 0, got " + wq.axis());
        n = weight.size(0);
        k = weight.size(1);
        if (bias != null && bias.length != n) throw new IllegalArgumentException("Int8Linear: bias has " + bias.length + " values for " + n + " outputs");
        panels = (n + U8Gemm.LANES - 1) / U8Gemm.LANES;
        packed = new short[panels * k * U8Gemm.LANES];
        colSums = new int[panels * U8Gemm.LANES];
        wOffset = new int[n];
        wScale = new float[n];
        byte[] w = weight.data();
        int max = 0;
        for (int j = 0; j < n; j++) {
            wOffset[j] = wq.zeroPoint(j) + 128;
            wScale[j] = wq.scale(j);
            int p = j / U8Gemm.LANES, lane = j % U8Gemm.LANES, sum = 0;
            for (int kk = 0; kk < k; kk++) {
                int u = w[j * k + kk] + 128;
                packed[(p * k + kk) * U8Gemm.LANES + lane] = (short) u;
                sum += u;
                max = Math.max(max, u);
            }
            colSums[j] = sum;
        }
        maxW = max;
        this.bias = bias == null ? new float[n] : bias.clone();
        weightBytes = w;
        weightZeros = new int[n];
        for (int j = 0; j < n; j++) weightZeros[j] = wq.zeroPoint(j);
    }

    private ExactFloatGemm exact() {
        ExactFloatGemm e = exact;
        if (e == null) {
            synchronized (this) {
                e = exact;
                if (e == null) exact = e = new ExactFloatGemm(weightBytes, weightZeros, n, k);
            }
        }
        return e;
    }

    public int inFeatures() { return k; }

    public int outFeatures() { return n; }

    /** Runs on a quint8 {@code [M, K]} input; returns float32 {@code [M, N]} in {@code floatOut} or a quint8 QTensor. */
    public QTensor forwardQuantized(QTensor x, Requantize epilogue) {
        int m = checkInput(x);
        byte[] out = new byte[m * n];
        run(x, m, epilogue, null, out);
        return new QTensor(out, new int[] {m, n}, QParams.perTensor(epilogue.outScale(), epilogue.outZeroPoint(), QDType.QUINT8, epilogue.outMin(), epilogue.outMax()));
    }

    /** Runs on a quint8 {@code [M, K]} input, dequantizing to a row-major float {@code [M, N]} array. */
    public float[] forwardFloat(QTensor x, boolean relu) {
        int m = checkInput(x);
        float[] out = new float[m * n];
        run(x, m, Requantize.toFloat(relu), out, null);
        return out;
    }

    private int checkInput(QTensor x) {
        if (x.dim() != 2 || x.size(1) != k) throw new IllegalArgumentException("Int8Linear: input must be [M, " + k + "], got " + Arrays.toString(x.shape()));
        QParams q = x.qparams();
        if (q.dtype() != QDType.QUINT8 || q.isPerChannel()) throw new IllegalArgumentException("Int8Linear: input must be per-tensor quint8, got " + q);
        return x.size(0);
    }

    private void run(QTensor x, int m, Requantize e, float[] floatOut, byte[] byteOut) {
        byte[] xs = x.data();
        QParams xq = x.qparams();
        int zx = xq.zeroPoint(0);
        float sx = xq.scale(0);
        if (m >= FLOAT_MIN_ROWS) {
            int[] sums = exact().run(xs, m, zx, Math.max(zx - xq.quantMin(), xq.quantMax() - zx));
            if (sums != null) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int acc = sums[i * n + j];
                        float ab = sx * wScale[j];
                        if (floatOut != null) floatOut[i * n + j] = e.dequantized(acc, ab, bias[j]);
                        else byteOut[i * n + j] = (byte) e.quantized(acc, ab, bias[j]);
                    }
                }
                return;
            }
        }
        runU8(xs, m, zx, sx, e, floatOut, byteOut);
    }

    private void runU8(byte[] xs, int m, int zx, float sx, Requantize e, float[] floatOut, byte[] byteOut) {
        int maxX = 0;
        int[] rowSums = new int[m];
        for (int i = 0; i < m; i++) {
            int sum = 0;
            for (int kk = 0; kk < k; kk++) {
                int u = xs[i * k + kk] & 0xFF;
                sum += u;
                maxX = Math.max(maxX, u);
            }
            rowSums[i] = sum;
        }
        boolean pairs = (long) maxX * maxW * 2 <= 65535;
        int ldr = panels * U8Gemm.LANES;
        int[] r = new int[m * ldr];
        U8Gemm.gemm(xs, 0, m, k, packed, 0, panels, pairs, r, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int acc = r[i * ldr + j] - wOffset[j] * rowSums[i] - zx * colSums[j] + k * zx * wOffset[j];
                float ab = sx * wScale[j];
                if (floatOut != null) floatOut[i * n + j] = e.dequantized(acc, ab, bias[j]);
                else byteOut[i * n + j] = (byte) e.quantized(acc, ab, bias[j]);
            }
        }
    }
}
