package org.sinter.cli.models;

import org.sinter.Tensor;
import org.sinter.nn.Embedding;
import org.sinter.nn.Init;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ModuleList;
import org.sinter.nn.MultiheadAttention;
import org.sinter.nn.TransformerEncoderLayer;
import org.sinter.nn.TransformerOptions;
import org.sinter.nn.functional.F;

/**
 * A decoder-only (GPT-style) Transformer language model, as nanoGPT builds it: token and learned
 * position embeddings, a stack of pre-LayerNorm blocks (causal multi-head self-attention, then a
 * GELU MLP of four times the width, each added to its input), a final LayerNorm and a linear head
 * giving the next token's logits. Input: [batch, time] int64 token ids, time at most the context;
 * output: [batch, time, vocab] logits.
 *
 * <p>A block is sinter-nn's {@link TransformerEncoderLayer} with {@code normFirst} and a causal
 * mask, which is exactly GPT's block, so its parameters carry PyTorch's names
 * ({@code layers.0.self_attn.in_proj_weight}, {@code layers.0.linear1.weight}...) and a PyTorch
 * model of {@code nn.TransformerEncoderLayer}s loads the same state dict
 * ({@code tools/fixtures/torch_gpt.py}).
 *
 * <p>The zoo holds two recipes of it. {@code charlm} keeps the layers' PyTorch initialisation and
 * a head of its own with a bias. {@code gpt} follows GPT-2: the head is the token embedding
 * (weight tying, no bias), and because that matrix is now also the output layer, every weight
 * starts N(0, 0.02) rather than the embedding's N(0, 1) (which would start the logits at a
 * standard deviation of about √d), with the two projections that write into the residual stream
 * scaled by 1/√(2·layers) so the stream's variance does not grow with depth.
 */
public final class Gpt extends Module {
    /** The model's sizes; {@code tiedHead} selects GPT-2's recipe (see the class comment). */
    public record Config(int vocab, int context, int dModel, int heads, int layers, double dropout, boolean tiedHead) {
        public Config {
            if (vocab < 1 || context < 1 || dModel < 1 || heads < 1 || layers < 1) {
                throw new IllegalArgumentException("Gpt: sizes must be positive, got " + this);
            }
            if (dModel % heads != 0) throw new IllegalArgumentException("Gpt: d_model " + dModel + " is not divisible by " + heads + " heads");
        }
    }

    public final Config config;
    private final Embedding tokens, positions;
    private final ModuleList layers;
    private final LayerNorm norm;
    /** null when the head is tied to the token embedding. */
    private final Linear head;

    public Gpt(Config c) {
        config = c;
        tokens = registerModule("tok_emb", new Embedding(c.vocab(), c.dModel()));
        positions = registerModule("pos_emb", new Embedding(c.context(), c.dModel()));
        layers = registerModule("layers", new ModuleList());
        TransformerOptions o = new TransformerOptions().dimFeedforward(4 * c.dModel()).dropout(c.dropout())
                .activation("gelu").batchFirst(true).normFirst(true);
        for (int i = 0; i < c.layers(); i++) layers.add(new TransformerEncoderLayer(c.dModel(), c.heads(), o));
        norm = registerModule("norm", new LayerNorm(c.dModel()));
        head = c.tiedHead() ? null : registerModule("head", new Linear(c.dModel(), c.vocab()));
        if (c.tiedHead()) initialiseAsGpt2();
    }

    @Override
    public Tensor forward(Tensor ids) {
        if (ids.dim() != 2) throw new IllegalArgumentException("Gpt: expected [batch, time] token ids, got " + ids.describe());
        int t = ids.size(1);
        if (t > config.context()) throw new IllegalArgumentException("Gpt: sequence of " + t + " exceeds the context of " + config.context());
        Tensor h = tokens.forward(ids).add(positions.forward(Tensor.arange(t)));
        Tensor mask = MultiheadAttention.causalMask(t);
        for (var layer : layers) h = ((TransformerEncoderLayer) layer).forward(h, mask, null);
        h = norm.forward(h);
        return head == null ? F.linear(h, tokens.weight) : head.forward(h);
    }

    /** GPT-2's initialisation: weights N(0, 0.02), residual projections N(0, 0.02/√(2·layers)), biases 0. */
    private void initialiseAsGpt2() {
        double std = 0.02, residual = std / Math.sqrt(2.0 * config.layers());
        Init.normal_(tokens.weight, 0, std);
        Init.normal_(positions.weight, 0, std);
        for (var layer : layers) {
            TransformerEncoderLayer block = (TransformerEncoderLayer) layer;
            Init.normal_(block.selfAttn.inProjWeight, 0, std);
            Init.normal_(block.linear1.weight, 0, std);
            Init.normal_(block.selfAttn.outProj.weight, 0, residual);
            Init.normal_(block.linear2.weight, 0, residual);
            for (Tensor b : new Tensor[] {block.selfAttn.inProjBias, block.selfAttn.outProj.bias, block.linear1.bias, block.linear2.bias}) {
                Init.zeros_(b);
            }
        }
    }
}
