package org.sinter.nn;

import org.sinter.Tensor;

/**
 * One transformer encoder block (PyTorch's {@code nn.TransformerEncoderLayer}): self-attention
 * and a feed-forward network {@code linear2(dropout(act(linear1(x))))}, each with a residual
 * connection and layer norm, after the block (post-norm, default) or before it (normFirst).
 * Submodule names match PyTorch's, so state dicts load across.
 */
public class TransformerEncoderLayer extends Module {
    public final int dModel, nhead;
    public final TransformerOptions options;
    public final MultiheadAttention selfAttn;
    public final Linear linear1, linear2;
    private final Module norm1, norm2;

    @SuppressWarnings("this-escape") // registers its submodules with Module in the constructor, as PyTorch does
    public TransformerEncoderLayer(int dModel, int nhead, TransformerOptions o) {
        this.dModel = dModel;
        this.nhead = nhead;
        this.options = o;
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, o.attention()));
        linear1 = registerModule("linear1", new Linear(dModel, o.dimFeedforward));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, dModel));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, o.layerNormEps, true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, o.layerNormEps, true));
    }

    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, new TransformerOptions());
    }

    /** The block without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** Runs the block; {@code srcMask} and {@code srcKeyPaddingMask} as in {@link MultiheadAttention}. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (options.normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForwardBlock(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
            x = norm2.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor kpm) {
        Tensor a = selfAttn.forward(x, x, x, kpm, false, mask, true).output();
        return org.sinter.nn.functional.F.dropout(a, options.dropout, training);
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = activate(linear1.forward(x), options.activation);
        return org.sinter.nn.functional.F.dropout(linear2.forward(org.sinter.nn.functional.F.dropout(h, options.dropout, training)), options.dropout, training);
    }

    static Tensor activate(Tensor x, String activation) {
        return activation.equals("gelu") ? x.gelu() : x.relu();
    }
}
