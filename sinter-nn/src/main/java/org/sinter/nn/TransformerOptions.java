package org.sinter.nn;

/**
 * Keyword options of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer}, with
 * PyTorch's defaults: dim_feedforward 2048, dropout 0.1, activation "relu", layer_norm_eps 1e-5,
 * sequence-first, post-norm.
 */
public final class TransformerOptions {
    int dimFeedforward = 2048;
    double dropout = 0.1;
    String activation = "relu";
    double layerNormEps = 1e-5;
    boolean batchFirst = false, normFirst = false;

    public TransformerOptions dimFeedforward(int v) { dimFeedforward = v; return this; }
    public TransformerOptions dropout(double v) { dropout = v; return this; }
    /** "relu" or "gelu". */
    public TransformerOptions activation(String v) {
        if (!v.equals("relu") && !v.equals("gelu")) {
            throw new IllegalArgumentException("activation should be relu/gelu, not " + v);
        }
        activation = v;
        return this;
    }
    public TransformerOptions layerNormEps(double v) { layerNormEps = v; return this; }
    public TransformerOptions batchFirst(boolean v) { batchFirst = v; return this; }
    /** Pre-norm (normalize before each sub-block) instead of post-norm. */
    public TransformerOptions normFirst(boolean v) { normFirst = v; return this; }

    MultiheadAttention.Options attention() {
        return MultiheadAttention.options().dropout(dropout).batchFirst(batchFirst);
    }
}
