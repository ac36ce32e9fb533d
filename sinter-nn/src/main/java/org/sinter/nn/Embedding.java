package org.sinter.nn;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}: integer indices
 * of any shape in, {@code indices.shape + [embeddingDim]} out. Weight N(0, 1) with the
 * {@code paddingIdx} row zeroed; that row receives no gradient. Prints
 * {@code Embedding(10, 3, padding_idx=0)}.
 */
public final class Embedding extends Module {
    public final int numEmbeddings, embeddingDim;
    /** null: no padding index; otherwise in [0, numEmbeddings). */
    public final Integer paddingIdx;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** {@code paddingIdx} may be negative (counted from the end) or null. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null);
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor pretrained) {
        LayerArgs.nonNegative("Embedding", "num_embeddings", numEmbeddings);
        LayerArgs.nonNegative("Embedding", "embedding_dim", embeddingDim);
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: Padding_idx must be within num_embeddings, got " + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        if (pretrained != null) {
            weight = registerParameter("weight", pretrained);
        } else {
            weight = registerParameter("weight", Tensor.randn(numEmbeddings, embeddingDim));
            resetPadding();
        }
    }

    /** An embedding holding {@code embeddings} ([num, dim], used as is); {@code freeze} stops its training. */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2) throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, embeddings.detach());
        e.weight.requiresGrad(!freeze);
        return e;
    }

    private void resetPadding() {
        if (paddingIdx == null) return;
        try (var _ = Sinter.noGrad()) {
            weight.select(0, paddingIdx).fill_(0);
        }
    }

    /** Redraws the weight from N(0, 1) and zeroes the padding row. */
    public void resetParameters() {
        try (var _ = Sinter.noGrad()) {
            weight.normal_(0, 1);
        }
        resetPadding();
    }

    @Override
    public Tensor forward(Tensor input) {
        return paddingIdx == null ? F.embedding(input, weight) : F.embedding(input, weight, paddingIdx);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
