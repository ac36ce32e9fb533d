package org.sinter.cli.models;

import org.sinter.Tensor;
import org.sinter.nn.Embedding;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ModuleList;
import org.sinter.nn.MultiheadAttention;
import org.sinter.nn.TransformerEncoderLayer;
import org.sinter.nn.TransformerOptions;

/**
 * A small decoder-only Transformer language model over characters: token and learned position
 * embeddings, pre-norm encoder layers under a causal mask, a final layer norm and a linear head.
 * Input: [batch, time] int64 character ids; output: [batch, time, vocab] logits.
 */
public final class CharTransformer extends Module {
    public final int vocab, context, dModel;
    private final Embedding tokens, positions;
    private final ModuleList layers;
    private final LayerNorm norm;
    private final Linear head;

    public CharTransformer(int vocab, int context, int dModel, int heads, int depth, double dropout) {
        this.vocab = vocab;
        this.context = context;
        this.dModel = dModel;
        tokens = registerModule("tok_emb", new Embedding(vocab, dModel));
        positions = registerModule("pos_emb", new Embedding(context, dModel));
        layers = registerModule("layers", new ModuleList());
        TransformerOptions o = new TransformerOptions().dimFeedforward(4 * dModel).dropout(dropout)
                .activation("gelu").batchFirst(true).normFirst(true);
        for (int i = 0; i < depth; i++) layers.add(new TransformerEncoderLayer(dModel, heads, o));
        norm = registerModule("norm", new LayerNorm(dModel));
        head = registerModule("head", new Linear(dModel, vocab));
    }

    @Override
    public Tensor forward(Tensor ids) {
        int t = ids.size(1);
        if (t > context) throw new IllegalArgumentException("CharTransformer: sequence of " + t + " exceeds the context of " + context);
        Tensor h = tokens.forward(ids).add(positions.forward(Tensor.arange(t)));
        Tensor mask = MultiheadAttention.causalMask(t);
        for (var layer : layers) h = ((TransformerEncoderLayer) layer).forward(h, mask, null);
        return head.forward(norm.forward(h));
    }
}
