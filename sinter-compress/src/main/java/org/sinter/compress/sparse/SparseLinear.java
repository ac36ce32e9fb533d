package org.sinter.compress.sparse;

import java.util.EnumMap;
import java.util.Map;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * An inference-only Linear whose product with the (pruned) weight runs on a sparse kernel when
 * that measures faster than Sinter's dense GEMM for the batch size at hand: CSR through
 * {@link CsrLinearKernel} (gathers for small batches, transposed tiles of the batch in L2-sized
 * panels for larger ones), or 4 x 4 blocks as {@code Yᵀ = W · Xᵀ}. The choice is made by a
 * {@link KernelChooser} on the first input of each batch size.
 */
public final class SparseLinear extends Module {
    public final int inFeatures, outFeatures;
    private final Tensor weight, bias;
    private final float[] dense, biasValues;
    private final KernelChooser chooser;
    private final Map<SparseFormat, SparseMatrix> matrices = new EnumMap<>(SparseFormat.class);
    private final Map<Integer, SparseFormat> chosen = new java.util.LinkedHashMap<>();
    private final double sparsity;
    /** The CSR kernel, built on first use (X and Y stay row-major: no transposes of the whole batch). */
    private CsrLinearKernel csr;

    public SparseLinear(Linear source, KernelChooser chooser) {
        this.inFeatures = source.inFeatures;
        this.outFeatures = source.outFeatures;
        this.weight = source.weight.detach();
        this.bias = source.bias == null ? null : source.bias.detach();
        this.dense = weight.toFloatArray();
        this.biasValues = bias == null ? null : bias.toFloatArray();
        this.chooser = chooser;
        long zeros = 0;
        for (float v : dense) if (v == 0f) zeros++;
        this.sparsity = dense.length == 0 ? 0 : zeros / (double) dense.length;
    }

    public double sparsity() {
        return sparsity;
    }

    /**
     * Bytes of the weight in CSR form and the float bias: the layer's size as a sparse model (it
     * also keeps the dense weight in memory, for batch sizes where the dense kernel measured faster).
     */
    public long sizeBytes() {
        return CsrMatrix.storageBytes(dense, outFeatures) + (biasValues == null ? 0 : (long) Float.BYTES * biasValues.length);
    }

    /** The format used for inputs of {@code batch} rows (null before the first such input). */
    public synchronized SparseFormat formatFor(int batch) {
        return chosen.get(batch);
    }

    /** Every batch size seen so far and the format chosen for it. */
    public synchronized Map<Integer, SparseFormat> chosenFormats() {
        return new java.util.LinkedHashMap<>(chosen);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("SparseLinear: expected input with last dimension " + inFeatures + ", got " + input.describe());
        }
        if (input.requiresGrad() && Sinter.isGradEnabled()) {
            throw new IllegalArgumentException("SparseLinear: inference only; run under Sinter.noGrad() (input " + input.describe() + " requires grad)");
        }
        int[] shape = input.shape();
        int batch = Math.toIntExact(input.numel() / inFeatures);
        Tensor x = input.reshape(batch, inFeatures).contiguous();
        SparseFormat format = formatFor(x, batch);
        Tensor y = run(format, x, batch);
        shape[shape.length - 1] = outFeatures;
        return y.reshape(shape);
    }

    private synchronized SparseFormat formatFor(Tensor x, int batch) {
        SparseFormat f = chosen.get(batch);
        if (f != null) return f;
        Map<SparseFormat, Runnable> candidates = new EnumMap<>(SparseFormat.class);
        for (SparseFormat c : SparseFormat.values()) if (c.fits(outFeatures, inFeatures)) candidates.put(c, () -> run(c, x, batch));
        String key = String.format("linear %dx%d batch %d sparsity %.2f", outFeatures, inFeatures, batch, sparsity);
        f = chooser.choose(key, candidates);
        chosen.put(batch, f);
        return f;
    }

    private Tensor run(SparseFormat format, Tensor x, int batch) {
        if (format == SparseFormat.DENSE) {
            try (var _ = Sinter.noGrad()) {
                return F.linear(x, weight, bias);
            }
        }
        float[] xs = x.storage().floats();
        int xOff = x.storageOffset();
        Tensor out = Tensor.empty(batch, outFeatures);
        float[] ys = out.storage().floats();
        if (format == SparseFormat.CSR) {
            csrKernel().forward(xs, xOff, batch, ys, 0, biasValues);
            return out;
        }
        SparseMatrix w = matrix(format);
        if (batch == 1) {
            w.multiply(xs, xOff, 1, ys, 0, biasValues);
            return out;
        }
        float[] xt = new float[inFeatures * batch], yt = new float[outFeatures * batch];
        Transpose.into(xs, xOff, batch, inFeatures, xt, 0);
        w.multiply(xt, 0, batch, yt, 0, biasValues);
        Transpose.into(yt, 0, outFeatures, batch, ys, 0);
        return out;
    }

    private synchronized CsrLinearKernel csrKernel() {
        if (csr == null) csr = CsrLinearKernel.fromDense(dense, outFeatures, inFeatures);
        return csr;
    }

    private synchronized SparseMatrix matrix(SparseFormat format) {
        return matrices.computeIfAbsent(format, f -> f.build(dense, outFeatures, inFeatures));
    }

    @Override
    protected String extraRepr() {
        return String.format("in_features=%d, out_features=%d, bias=%s, sparsity=%.3f", inFeatures, outFeatures, bias != null ? "True" : "False", sparsity);
    }
}
