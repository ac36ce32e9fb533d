package org.sinter.nn;

import org.sinter.Tensor;

/**
 * One transformer decoder block (PyTorch's {@code nn.TransformerDecoderLayer}): self-attention
 * over the target, cross-attention to the encoder's {@code memory}, and a feed-forward network,
 * each with a residual connection and layer norm (post-norm by default, pre-norm with normFirst).
 * Submodule names match PyTorch's.
 */
public class TransformerDecoderLayer extends Module {
    public final int dModel, nhead;
    public final TransformerOptions options;
    public final MultiheadAttention selfAttn, multiheadAttn;
    public final Linear linear1, linear2;
    private final Module norm1, norm2, norm3;

    @SuppressWarnings("this-escape") // registers its submodules with Module in the constructor, as PyTorch does
    public TransformerDecoderLayer(int dModel, int nhead, TransformerOptions o) {
        this.dModel = dModel;
        this.nhead = nhead;
        this.options = o;
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, o.attention()));
        multiheadAttn = registerModule("multihead_attn", new MultiheadAttention(dModel, nhead, o.attention()));
        linear1 = registerModule("linear1", new Linear(dModel, o.dimFeedforward));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, dModel));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, o.layerNormEps, true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, o.layerNormEps, true));
        norm3 = registerModule("norm3", new LayerNorm(new int[] {dModel}, o.layerNormEps, true));
    }

    public TransformerDecoderLayer(int dModel, int nhead) {
        this(dModel, nhead, new TransformerOptions());
    }

    /** The block without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null);
    }

    /** Runs the block; masks as in {@link MultiheadAttention} (tgtMask is typically {@link MultiheadAttention#causalMask}). */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        if (options.normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), tgtMask, tgtKeyPaddingMask));
            x = x.add(crossAttentionBlock(norm2.forward(x), memory, memoryMask, memoryKeyPaddingMask));
            x = x.add(feedForwardBlock(norm3.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttentionBlock(x, tgtMask, tgtKeyPaddingMask)));
            x = norm2.forward(x.add(crossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask)));
            x = norm3.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor kpm) {
        return org.sinter.nn.functional.F.dropout(selfAttn.forward(x, x, x, kpm, false, mask, true).output(), options.dropout, training);
    }

    private Tensor crossAttentionBlock(Tensor x, Tensor mem, Tensor mask, Tensor kpm) {
        return org.sinter.nn.functional.F.dropout(multiheadAttn.forward(x, mem, mem, kpm, false, mask, true).output(), options.dropout, training);
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = TransformerEncoderLayer.activate(linear1.forward(x), options.activation);
        return org.sinter.nn.functional.F.dropout(linear2.forward(org.sinter.nn.functional.F.dropout(h, options.dropout, training)), options.dropout, training);
    }
}
