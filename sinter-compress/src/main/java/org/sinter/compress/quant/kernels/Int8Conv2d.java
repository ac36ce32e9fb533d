package org.sinter.compress.quant.kernels;

import java.util.Arrays;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/**
 * int8 2-D convolution (groups = 1). Where {@link Int8DirectConv} applies (float32 lanes provably
 * exact for the layer) it runs on sinter-core's float32 convolution kernels with the requantization
 * fused; otherwise (layers past the bound, such as ResNet's widest 3x3s on 8-bit inputs) by im2col:
 * per image, the input patches become a {@code [K, P]} matrix of output pixels (padding holds the
 * input zero point, which stands for 0.0), and {@link U8Gemm} multiplies the packed weight
 * {@code [C_out, K]} by it with the pixels as vector lanes. The result is already NCHW.
 */
public final class Int8Conv2d {
    private final int cout, cin, kh, kw, sh, sw, ph, pw, dh, dw, k;
    private final byte[] weightU8;
    private final int[] rowSums, wOffset;
    private final float[] wScale, bias;
    private final int maxW;
    private final Int8DirectConv direct;

    public Int8Conv2d(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation) {
        if (weight.dim() != 4) throw new IllegalArgumentException("Int8Conv2d: weight must be [C_out, C_in, kh, kw], got " + Arrays.toString(weight.shape()));
        QParams wq = weight.qparams();
        if (wq.dtype() != QDType.QINT8) throw new IllegalArgumentException("Int8Conv2d: weight must be qint8, got " + wq.dtype().torchName());
        if (wq.isPerChannel() && wq.axis() != 0) throw new IllegalArgumentException("Int8Conv2d: per-channel weight qparams must be on axis 0, got " + wq.axis());
        cout = weight.size(0);
        cin = weight.size(1);
        kh = weight.size(2);
        kw = weight.size(3);
        sh = stride[0];
        sw = stride[1];
        ph = padding[0];
        pw = padding[1];
        dh = dilation[0];
        dw = dilation[1];
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("Int8Conv2d: bad stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + " or dilation " + Arrays.toString(dilation));
        }
        if (bias != null && bias.length != cout) throw new IllegalArgumentException("Int8Conv2d: bias has " + bias.length + " values for " + cout + " channels");
        k = cin * kh * kw;
        weightU8 = new byte[cout * k];
        rowSums = new int[cout];
        wOffset = new int[cout];
        wScale = new float[cout];
        byte[] w = weight.data();
        int max = 0;
        for (int co = 0; co < cout; co++) {
            wOffset[co] = wq.zeroPoint(co) + 128;
            wScale[co] = wq.scale(co);
            int sum = 0;
            for (int i = 0; i < k; i++) {
                int u = w[co * k + i] + 128;
                weightU8[co * k + i] = (byte) u;
                sum += u;
                max = Math.max(max, u);
            }
            rowSums[co] = sum;
        }
        maxW = max;
        this.bias = bias == null ? new float[cout] : bias.clone();
        int[] zw = new int[cout];
        for (int co = 0; co < cout; co++) zw[co] = wq.zeroPoint(co);
        direct = new Int8DirectConv(w, zw, cout, k);
    }

    public int outChannels() { return cout; }

    /** Output height and width for an input of {@code h x w}. */
    public int[] outputSize(int h, int w) {
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        if (oh < 1 || ow < 1) throw new IllegalArgumentException("Int8Conv2d: input " + h + "x" + w + " is smaller than the " + kh + "x" + kw + " kernel");
        return new int[] {oh, ow};
    }

    public QTensor forwardQuantized(QTensor x, Requantize e) {
        return forwardQuantized(x, e, true);
    }

    /** {@link #forwardQuantized(QTensor, Requantize)}, on im2col + {@link U8Gemm} whatever the layer when {@code allowDirect} is false (benchmarks compare the two). */
    public QTensor forwardQuantized(QTensor x, Requantize e, boolean allowDirect) {
        int[] o = checkInput(x);
        int nb = x.size(0);
        byte[] out = new byte[nb * cout * o[0] * o[1]];
        if (allowDirect) run(x, o, e, null, out);
        else runIm2col(x, o, e, null, out);
        return new QTensor(out, new int[] {nb, cout, o[0], o[1]}, QParams.perTensor(e.outScale(), e.outZeroPoint(), QDType.QUINT8, e.outMin(), e.outMax()));
    }

    /** Float32 NCHW output, row-major. */
    public float[] forwardFloat(QTensor x, boolean relu) {
        int[] o = checkInput(x);
        float[] out = new float[x.size(0) * cout * o[0] * o[1]];
        run(x, o, Requantize.toFloat(relu), out, null);
        return out;
    }

    private int[] checkInput(QTensor x) {
        if (x.dim() != 4 || x.size(1) != cin) throw new IllegalArgumentException("Int8Conv2d: input must be [N, " + cin + ", H, W], got " + Arrays.toString(x.shape()));
        QParams q = x.qparams();
        if (q.dtype() != QDType.QUINT8 || q.isPerChannel()) throw new IllegalArgumentException("Int8Conv2d: input must be per-tensor quint8, got " + q);
        return outputSize(x.size(2), x.size(3));
    }

    /**
     * Whether an input with these qparams and size takes {@link Int8DirectConv} (exact float lanes,
     * no im2col) rather than im2col + {@link U8Gemm}. System property {@code sinter.int8.conv}:
     * "auto" (the default) or "im2col" to measure or test the latter alone.
     */
    public boolean direct(QParams xq, int h, int w) {
        return DIRECT && direct.applies(geometry(h, w), maxAbsX(xq));
    }

    private ConvGeometry geometry(int h, int w) {
        int[] o = outputSize(h, w);
        return new ConvGeometry(cin, h, w, cout, o[0], o[1], kh, kw, sh, sw, ph, pw, dh, dw, 1);
    }

    /** The largest {@code |x - zx|} an input with these qparams holds. */
    private static int maxAbsX(QParams xq) {
        int zx = xq.zeroPoint(0);
        return Math.max(zx - xq.quantMin(), xq.quantMax() - zx);
    }

    private static final boolean DIRECT = !"im2col".equals(System.getProperty("sinter.int8.conv", "auto"));

    private void run(QTensor x, int[] o, Requantize e, float[] floatOut, byte[] byteOut) {
        if (!direct(x.qparams(), x.size(2), x.size(3)) || !runDirect(x, o, e, floatOut, byteOut)) runIm2col(x, o, e, floatOut, byteOut);
    }

    private boolean runDirect(QTensor x, int[] o, Requantize e, float[] floatOut, byte[] byteOut) {
        int pix = o[0] * o[1], zx = x.qparams().zeroPoint(0);
        float sx = x.qparams().scale(0);
        // The sums are already sum (w - zw)(x - zx): no zero-point correction left (fixed and offset 0).
        Epilogue.Channel[] ch = new Epilogue.Channel[cout];
        for (int co = 0; co < cout; co++) ch[co] = new Epilogue.Channel(e, sx * wScale[co], bias[co], 0, 0);
        return direct.run(geometry(x.size(2), x.size(3)), x.data(), x.size(0), zx, maxAbsX(x.qparams()), (sums, sample, k0, nk, p0, np) -> {
            for (int co = k0; co < k0 + nk; co++) {
                int at = (sample * cout + co) * pix + p0; // the sums are exact integers (Int8DirectConv's bound)
                if (floatOut != null) ch[co].toFloat(sums, at, floatOut, at, np);
                else ch[co].toBytes(sums, at, byteOut, at, np);
            }
        });
    }

    /** {@link #run} by im2col + {@link U8Gemm}, whatever the input. */
    void runIm2col(QTensor x, int[] o, Requantize e, float[] floatOut, byte[] byteOut) {
        int nb = x.size(0), h = x.size(2), w = x.size(3), oh = o[0], ow = o[1], pix = oh * ow;
        // All images' pixels side by side form one [K, N * P] matrix: one GEMM call, parallel over its panels.
        int total = nb * pix;
        int lanes = U8Gemm.LANES, panels = (total + lanes - 1) / lanes, ldr = panels * lanes;
        int zx = x.qparams().zeroPoint(0);
        float sx = x.qparams().scale(0);
        // Scratch reused per calling thread: im2col writes every entry of cols and colSums, the GEMM
        // every entry of r, so nothing needs zeroing (fresh arrays cost ~15 MB of zeroing at batch 32).
        Scratch scratch = Scratch.get();
        short[] cols = scratch.shorts(panels * k * lanes);
        int[] colSums = scratch.colSums(ldr);
        int maxX = im2col(x.data(), nb, h, w, oh, ow, zx, cols, colSums);
        boolean pairs = (long) maxX * maxW * 2 <= 65535;
        int[] r = scratch.ints(cout * ldr);
        U8Gemm.gemm(weightU8, 0, cout, k, cols, 0, panels, pairs, r, 0);
        Epilogue.Channel[] ch = new Epilogue.Channel[cout];
        for (int co = 0; co < cout; co++) ch[co] = new Epilogue.Channel(e, sx * wScale[co], bias[co], -zx * rowSums[co] + k * zx * wOffset[co], wOffset[co]);
        org.sinter.kernels.Parallel.forRange(nb * cout, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int b = t / cout, co = t % cout, src = co * ldr + b * pix, dst = t * pix;
                if (floatOut != null) ch[co].toFloat(r, src, colSums, b * pix, floatOut, dst, pix);
                else ch[co].toBytes(r, src, colSums, b * pix, byteOut, dst, pix);
            }
        });
    }

    /**
     * Fills the panel-major patch matrix for all images (column {@code b * P + p}) in one pass, with
     * its column sums; padding holds the zero point. Returns the largest value in it.
     */
    private int im2col(byte[] xs, int nb, int h, int w, int oh, int ow, int zx, short[] cols, int[] colSums) {
        int lanes = U8Gemm.LANES, pix = oh * ow, max = zx, total = nb * pix;
        short z = (short) zx;
        java.util.Arrays.fill(colSums, k * zx); // every entry starts as "zero"; real values add their difference
        for (int b = 0; b < nb; b++) {
            int base = b * cin * h * w;
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int kk = (c * kh + i) * kw + j;
                        for (int y = 0; y < oh; y++) {
                            int iy = y * sh - ph + i * dh, col = b * pix + y * ow;
                            boolean rowIn = iy >= 0 && iy < h;
                            int row = base + (c * h + iy) * w;
                            for (int xo = 0; xo < ow; xo++, col++) {
                                int ix = xo * sw - pw + j * dw, at = ((col / lanes) * k + kk) * lanes + (col & (lanes - 1));
                                if (rowIn && ix >= 0 && ix < w) {
                                    int v = xs[row + ix] & 0xFF;
                                    cols[at] = (short) v;
                                    colSums[col] += v - zx;
                                    if (v > max) max = v;
                                } else {
                                    cols[at] = z;
                                }
                            }
                        }
                    }
                }
            }
        }
        // The last panel's spare lanes.
        for (int col = total; col < colSums.length; col++) {
            for (int kk = 0; kk < k; kk++) cols[((col / lanes) * k + kk) * lanes + (col & (lanes - 1))] = z;
        }
        return max;
    }
}
