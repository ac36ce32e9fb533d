package org.sinter.nn;

import java.util.Arrays;
import java.util.List;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Multi-head scaled dot-product attention (PyTorch's {@code nn.MultiheadAttention}):
 * {@code softmax(Q_h K_hᵀ / √d + mask) V_h} per head, heads concatenated and projected.
 *
 * <p>Parameters keep PyTorch's names: {@code in_proj_weight} (3E, E) with Q, K, V stacked when
 * key and value have the embedding size, otherwise {@code q_proj_weight} (E, E),
 * {@code k_proj_weight} (E, kdim), {@code v_proj_weight} (E, vdim); {@code in_proj_bias} (3E);
 * {@code out_proj.weight}, {@code out_proj.bias}. Projections start Xavier-uniform, biases zero.
 *
 * <p>Shapes: query (L, N, E), key (S, N, kdim), value (S, N, vdim); batch-first (N, L, E) etc.;
 * unbatched (L, E). Masks follow PyTorch: {@code attnMask} (L, S) or (N·heads, L, S), bool
 * (true = may not attend) or float (added to the scores; use {@link #causalMask}); and
 * {@code keyPaddingMask} (N, S), bool (true = padding, ignored) or float (added).
 * Not supported: {@code add_bias_kv} and {@code add_zero_attn}.
 */
public class MultiheadAttention extends Module {
    public final int embedDim, numHeads, headDim, kdim, vdim;
    public final double dropout;
    public final boolean batchFirst;
    /** (3E, E), or null when kdim or vdim differ from E. */
    public final Tensor inProjWeight;
    /** Separate projections, non-null only when kdim or vdim differ from E. */
    public final Tensor qProjWeight, kProjWeight, vProjWeight;
    public final Tensor inProjBias;
    public final Linear outProj;

    /** Keyword options with PyTorch's defaults (dropout 0, bias, sequence-first, kdim = vdim = E). */
    public static final class Options {
        double dropout = 0;
        boolean bias = true, batchFirst = false;
        int kdim = -1, vdim = -1;

        public Options dropout(double v) { dropout = v; return this; }
        public Options bias(boolean v) { bias = v; return this; }
        public Options batchFirst(boolean v) { batchFirst = v; return this; }
        public Options kdim(int v) { kdim = v; return this; }
        public Options vdim(int v) { vdim = v; return this; }
    }

    public static Options options() {
        return new Options();
    }

    /** The attention output and, when requested, the attention weights (else null). */
    public record Result(Tensor output, Tensor weights) {}

    @SuppressWarnings("this-escape") // registers and initializes (resetParameters) its parameters in the constructor, as PyTorch does
    public MultiheadAttention(int embedDim, int numHeads, Options o) {
        LayerArgs.positive("MultiheadAttention", "embed_dim", embedDim);
        LayerArgs.positive("MultiheadAttention", "num_heads", numHeads);
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim=" + embedDim
                    + " num_heads=" + numHeads);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.kdim = o.kdim < 0 ? embedDim : o.kdim;
        this.vdim = o.vdim < 0 ? embedDim : o.vdim;
        this.dropout = o.dropout;
        this.batchFirst = o.batchFirst;
        if (kdim == embedDim && vdim == embedDim) {
            inProjWeight = registerParameter("in_proj_weight", Tensor.empty(3 * embedDim, embedDim));
            qProjWeight = kProjWeight = vProjWeight = null;
        } else {
            qProjWeight = registerParameter("q_proj_weight", Tensor.empty(embedDim, embedDim));
            kProjWeight = registerParameter("k_proj_weight", Tensor.empty(embedDim, kdim));
            vProjWeight = registerParameter("v_proj_weight", Tensor.empty(embedDim, vdim));
            inProjWeight = null;
        }
        inProjBias = registerParameter("in_proj_bias", o.bias ? Tensor.empty(3 * embedDim) : null);
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, o.bias));
        resetParameters();
    }

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, options());
    }

    /** PyTorch's initialization: Xavier-uniform projections, zero biases (out_proj.weight keeps Linear's). */
    public void resetParameters() {
        if (inProjWeight != null) {
            Init.xavierUniform_(inProjWeight);
        } else {
            Init.xavierUniform_(qProjWeight);
            Init.xavierUniform_(kProjWeight);
            Init.xavierUniform_(vProjWeight);
        }
        if (inProjBias != null) {
            Init.zeros_(inProjBias);
            Init.zeros_(outProj.bias);
        }
    }

    /** A float (size, size) mask with −∞ above the diagonal: position i attends to positions ≤ i. */
    public static Tensor causalMask(int size) {
        return Tensor.full(Double.NEGATIVE_INFINITY, size, size).triu(1);
    }

    /** Self-attention without masks; returns the output only. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false, null, true).output();
    }

    /**
     * Attends {@code query} to {@code key}/{@code value}. With {@code needWeights}, the result also
     * holds the attention weights, (N, L, S) averaged over heads or (N, heads, L, S).
     */
    public Result forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                          boolean averageAttnWeights) {
        boolean unbatched = query.dim() == 2;
        checkInputs(query, key, value, unbatched);
        Tensor q = seqFirst(query, unbatched), k = seqFirst(key, unbatched), v = seqFirst(value, unbatched);
        if (unbatched && keyPaddingMask != null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        int tgtLen = q.size(0), bsz = q.size(1), srcLen = k.size(0);

        Tensor[] b = inProjBias == null ? new Tensor[3] : inProjBias.chunk(3, 0).toArray(new Tensor[0]);
        Tensor wq, wk, wv;
        if (inProjWeight != null) {
            List<Tensor> w = inProjWeight.chunk(3, 0);
            wq = w.get(0);
            wk = w.get(1);
            wv = w.get(2);
        } else {
            wq = qProjWeight;
            wk = kProjWeight;
            wv = vProjWeight;
        }
        // (len, N, E) → (N·heads, len, headDim)
        Tensor qh = heads(Linear.linear(q, wq, b[0]), tgtLen, bsz);
        Tensor kh = heads(Linear.linear(k, wk, b[1]), srcLen, bsz);
        Tensor vh = heads(Linear.linear(v, wv, b[2]), srcLen, bsz);

        Tensor mask = mergedMask(attnMask, keyPaddingMask, bsz, tgtLen, srcLen, q.dtype());
        Tensor scores = qh.div(Math.sqrt(headDim)).matmul(kh.transpose(1, 2));
        if (mask != null) scores = scores.add(mask);
        Tensor attn = scores.softmax(-1);
        attn = org.sinter.nn.functional.F.dropout(attn, dropout, training);
        Tensor out = attn.matmul(vh).transpose(0, 1).reshape(tgtLen * bsz, embedDim);
        out = outProj.forward(out).reshape(tgtLen, bsz, embedDim);

        Tensor weights = null;
        if (needWeights) {
            weights = attn.reshape(bsz, numHeads, tgtLen, srcLen);
            if (averageAttnWeights) weights = weights.mean(1, false);
            if (unbatched) weights = weights.squeeze(0);
        }
        if (unbatched) out = out.squeeze(1);
        else if (batchFirst) out = out.transpose(0, 1);
        return new Result(out, weights);
    }

    /** {@link #forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean)} with weights averaged over heads. */
    public Result forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, true, attnMask, true);
    }

    private Tensor seqFirst(Tensor t, boolean unbatched) {
        if (unbatched) return t.unsqueeze(1);
        return batchFirst ? t.transpose(0, 1) : t;
    }

    private Tensor heads(Tensor x, int len, int bsz) {
        return x.reshape(len, bsz * numHeads, headDim).transpose(0, 1);
    }

    private void checkInputs(Tensor q, Tensor k, Tensor v, boolean unbatched) {
        if ((q.dim() != 2 && q.dim() != 3) || k.dim() != q.dim() || v.dim() != q.dim()) {
            throw new IllegalArgumentException("MultiheadAttention: query, key and value must all be 2-D (unbatched) or 3-D, got "
                    + q.describe() + ", " + k.describe() + ", " + v.describe());
        }
        if (q.size(-1) != embedDim || k.size(-1) != kdim || v.size(-1) != vdim) {
            throw new IllegalArgumentException("MultiheadAttention: expected feature sizes (E=" + embedDim + ", kdim=" + kdim + ", vdim=" + vdim
                    + "), got " + q.describe() + ", " + k.describe() + ", " + v.describe());
        }
        int seqDim = unbatched || !batchFirst ? 0 : 1;
        if (k.size(seqDim) != v.size(seqDim)) {
            throw new IllegalArgumentException("MultiheadAttention: key and value must have the same sequence length, got "
                    + k.describe() + " and " + v.describe());
        }
        if (!unbatched) {
            int bd = batchFirst ? 0 : 1;
            if (k.size(bd) != q.size(bd) || v.size(bd) != q.size(bd)) {
                throw new IllegalArgumentException("MultiheadAttention: query, key and value must have the same batch size, got "
                        + q.describe() + ", " + k.describe() + ", " + v.describe());
            }
        }
    }

    /** The attention and key-padding masks as one additive float mask broadcastable to (N·heads, L, S), or null. */
    private Tensor mergedMask(Tensor attnMask, Tensor kpm, int bsz, int tgtLen, int srcLen, DType dtype) {
        Tensor mask = null;
        if (attnMask != null) {
            int[] s = attnMask.shape();
            boolean ok = (s.length == 2 && s[0] == tgtLen && s[1] == srcLen)
                    || (s.length == 3 && s[0] == bsz * numHeads && s[1] == tgtLen && s[2] == srcLen);
            if (!ok) {
                throw new IllegalArgumentException("MultiheadAttention: attn_mask must be (" + tgtLen + ", " + srcLen + ") or ("
                        + bsz * numHeads + ", " + tgtLen + ", " + srcLen + "), got " + Arrays.toString(s));
            }
            mask = additive(attnMask.dim() == 2 ? attnMask.unsqueeze(0) : attnMask, dtype);
        }
        if (kpm != null) {
            if (kpm.dim() != 2 || kpm.size(0) != bsz || kpm.size(1) != srcLen) {
                throw new IllegalArgumentException("MultiheadAttention: key_padding_mask must be (" + bsz + ", " + srcLen + "), got " + kpm.describe());
            }
            Tensor k = additive(kpm, dtype).reshape(bsz, 1, 1, srcLen).expand(bsz, numHeads, 1, srcLen).reshape(bsz * numHeads, 1, srcLen);
            mask = mask == null ? k : mask.add(k);
        }
        return mask;
    }

    private static Tensor additive(Tensor m, DType dtype) {
        if (m.dtype() == DType.BOOL) return Tensor.zeros(dtype, m.shape()).maskedFill(m, Double.NEGATIVE_INFINITY);
        if (!m.isFloatingPoint()) throw new IllegalArgumentException("MultiheadAttention: masks must be bool or float, got " + m.describe());
        return m.to(dtype);
    }
}
