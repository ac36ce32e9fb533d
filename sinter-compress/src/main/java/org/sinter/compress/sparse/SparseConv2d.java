package org.sinter.compress.sparse;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Module;

/**
 * An inference-only Conv2d that multiplies the (pruned) weight, seen as an
 * {@code outC x (C·kh·kw)} sparse matrix, by each image's im2col matrix; its output rows are
 * already the NCHW output planes. CSR weights with stride 1 and dilation 1 skip im2col
 * ({@link DirectSparseConv}). The sparse path is used when a {@link KernelChooser} measures it
 * faster than Sinter's dense convolution for the input shape at hand. Grouped convolutions and
 * non-zero padding modes always run dense.
 */
public final class SparseConv2d extends Module {
    private final Conv2d source;
    private final int outC, inC, kh, kw, k;
    private final float[] dense, biasValues;
    private final KernelChooser chooser;
    private final Map<SparseFormat, SparseMatrix> matrices = new EnumMap<>(SparseFormat.class);
    private final Map<List<Integer>, SparseFormat> chosen = new java.util.LinkedHashMap<>();
    private final double sparsity;
    private final boolean sparseCapable;

    public SparseConv2d(Conv2d source, KernelChooser chooser) {
        this.source = source;
        this.outC = source.outChannels;
        this.inC = source.inChannels;
        this.kh = source.kernelSize[0];
        this.kw = source.kernelSize[1];
        this.k = inC * kh * kw;
        this.dense = source.weight.toFloatArray();
        this.biasValues = source.bias == null ? null : source.bias.toFloatArray();
        this.chooser = chooser;
        long zeros = 0;
        for (float v : dense) if (v == 0f) zeros++;
        this.sparsity = dense.length == 0 ? 0 : zeros / (double) dense.length;
        this.sparseCapable = source.groups == 1 && source.paddingMode.equals("zeros") && source.paddingString == null;
        source.eval();
    }

    public double sparsity() {
        return sparsity;
    }

    /**
     * Bytes of the weight in CSR form and the float bias: the layer's size as a sparse model (it
     * also keeps the dense weight in memory, for batch sizes where the dense kernel measured faster).
     */
    public long sizeBytes() {
        return CsrMatrix.storageBytes(dense, outC) + (biasValues == null ? 0 : (long) Float.BYTES * biasValues.length);
    }

    /** The format used for inputs of this shape (null before the first such input). */
    public synchronized SparseFormat formatFor(int... inputShape) {
        return chosen.get(key(inputShape));
    }

    /** Every input shape seen so far and the format chosen for it. */
    public synchronized Map<List<Integer>, SparseFormat> chosenFormats() {
        return new java.util.LinkedHashMap<>(chosen);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4 || input.size(1) != inC) {
            throw new IllegalArgumentException("SparseConv2d: expected input of shape (N, " + inC + ", H, W), got " + input.describe());
        }
        if (input.requiresGrad() && Sinter.isGradEnabled()) {
            throw new IllegalArgumentException("SparseConv2d: inference only; run under Sinter.noGrad() (input " + input.describe() + " requires grad)");
        }
        Tensor x = input.contiguous();
        return run(formatFor(x), x);
    }

    private static List<Integer> key(int[] shape) {
        return java.util.Arrays.stream(shape).boxed().toList();
    }

    private synchronized SparseFormat formatFor(Tensor x) {
        List<Integer> key = key(x.shape());
        SparseFormat f = chosen.get(key);
        if (f != null) return f;
        if (!sparseCapable) {
            f = SparseFormat.DENSE;
        } else {
            Map<SparseFormat, Runnable> candidates = new EnumMap<>(SparseFormat.class);
            for (SparseFormat c : SparseFormat.values()) if (c.fits(outC, k)) candidates.put(c, () -> run(c, x));
            String name = String.format("conv2d %dx%dx%dx%d input %s stride %s padding %s sparsity %.2f", outC, inC, kh, kw, key,
                    java.util.Arrays.toString(source.stride), java.util.Arrays.toString(source.padding), sparsity);
            f = chooser.choose(name, candidates);
        }
        chosen.put(key, f);
        return f;
    }

    private Tensor run(SparseFormat format, Tensor x) {
        if (format == SparseFormat.DENSE) {
            try (var _ = Sinter.noGrad()) {
                return source.forward(x);
            }
        }
        SparseMatrix w = matrix(format);
        int n = x.size(0), h = x.size(2), wd = x.size(3);
        int[] st = source.stride, pad = source.padding, dil = source.dilation;
        if (w instanceof CsrMatrix csr && st[0] == 1 && st[1] == 1 && dil[0] == 1 && dil[1] == 1
                && h + 2 * pad[0] >= kh && wd + 2 * pad[1] >= kw && (h + 2 * pad[0] - kh + 1) * (wd + 2 * pad[1]) > 1) {
            int outH = h + 2 * pad[0] - kh + 1, outW = wd + 2 * pad[1] - kw + 1;
            Tensor out = Tensor.empty(n, outC, outH, outW);
            new DirectSparseConv(csr, outC, inC, kh, kw).run(x.storage().floats(), x.storageOffset(), n, h, wd, pad[0], pad[1], biasValues,
                    out.storage().floats());
            return out;
        }
        int outH = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / st[0] + 1;
        int outW = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / st[1] + 1;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("SparseConv2d: input " + x.describe() + " is smaller than the " + kh + "x" + kw + " kernel");
        }
        int plane = outH * outW;
        Tensor out = Tensor.empty(n, outC, outH, outW);
        float[] xs = x.storage().floats(), ys = out.storage().floats();
        int xOff = x.storageOffset();
        Parallel.forRange(n, 1, (i0, i1) -> {
            float[] cols = new float[k * plane];
            for (int i = i0; i < i1; i++) {
                Im2col.unfold(xs, xOff + i * inC * h * wd, inC, h, wd, kh, kw, st[0], st[1], pad[0], pad[1], dil[0], dil[1], outH, outW, cols);
                w.multiply(cols, 0, plane, ys, i * outC * plane, biasValues);
            }
        });
        return out;
    }

    private synchronized SparseMatrix matrix(SparseFormat format) {
        return matrices.computeIfAbsent(format, f -> f.build(dense, outC, k));
    }

    @Override
    protected String extraRepr() {
        return String.format("%d, %d, kernel_size=(%d, %d), stride=%s, sparsity=%.3f", inC, outC, kh, kw,
                java.util.Arrays.toString(source.stride), sparsity);
    }
}
