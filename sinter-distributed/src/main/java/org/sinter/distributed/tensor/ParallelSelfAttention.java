package org.sinter.distributed.tensor;

import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.nn.MultiheadAttention;
import org.sinter.nn.Module;

/**
 * Self-attention with its heads split over a tensor-parallel group (Megatron-LM): rank r computes
 * heads [r·h/n, (r+1)·h/n) (its rows of the Q, K and V projections, a column-parallel step), attends
 * locally, and the output projection is row-parallel over the heads' features, so the block needs
 * one all-reduce forward and one backward. Built from a {@link MultiheadAttention} (packed
 * in-projection, batch-first input (N, L, E)), whose result it reproduces.
 */
public final class ParallelSelfAttention extends Module {
    public final int embedDim, numHeads, localHeads, headDim;
    public final Tensor qWeight, kWeight, vWeight;
    /** null when the attention has no bias. */
    public final Tensor qBias, kBias, vBias;
    private final RowParallelLinear outProj;
    private final ProcessGroup group;

    @SuppressWarnings("this-escape")
    public ParallelSelfAttention(MultiheadAttention full, ProcessGroup group) {
        int n = group.size();
        if (full.inProjWeight == null) {
            throw new IllegalArgumentException("ParallelSelfAttention: needs the packed in-projection (kdim = vdim = embed_dim)");
        }
        if (full.numHeads % n != 0) {
            throw new IllegalArgumentException("ParallelSelfAttention: " + full.numHeads + " heads do not split over " + n + " ranks");
        }
        this.embedDim = full.embedDim;
        this.numHeads = full.numHeads;
        this.localHeads = full.numHeads / n;
        this.headDim = full.headDim;
        this.group = group;
        int part = localHeads * headDim, from = group.rank() * part;
        try (var _ = Sinter.noGrad()) {
            List<Tensor> w = full.inProjWeight.chunk(3, 0);
            qWeight = registerParameter("q_weight", w.get(0).narrow(0, from, part).contiguous().clone());
            kWeight = registerParameter("k_weight", w.get(1).narrow(0, from, part).contiguous().clone());
            vWeight = registerParameter("v_weight", w.get(2).narrow(0, from, part).contiguous().clone());
            List<Tensor> b = full.inProjBias == null ? null : full.inProjBias.chunk(3, 0);
            qBias = registerParameter("q_bias", b == null ? null : b.get(0).narrow(0, from, part).contiguous().clone());
            kBias = registerParameter("k_bias", b == null ? null : b.get(1).narrow(0, from, part).contiguous().clone());
            vBias = registerParameter("v_bias", b == null ? null : b.get(2).narrow(0, from, part).contiguous().clone());
        }
        this.outProj = registerModule("out_proj", new RowParallelLinear(full.outProj, true, group));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** {@code x} (N, L, E); {@code attnMask} an additive float (L, L) mask or null. */
    public Tensor forward(Tensor x, Tensor attnMask) {
        if (x.dim() != 3 || x.size(2) != embedDim) {
            throw new IllegalArgumentException("ParallelSelfAttention: expected input (N, L, " + embedDim + "), got " + x.describe());
        }
        int batch = x.size(0), len = x.size(1);
        Tensor in = ParallelRegion.copyTo(x, group);
        Tensor q = heads(project(in, qWeight, qBias), batch, len);
        Tensor k = heads(project(in, kWeight, kBias), batch, len);
        Tensor v = heads(project(in, vWeight, vBias), batch, len);
        Tensor scores = q.div(Math.sqrt(headDim)).matmul(k.transpose(2, 3));
        if (attnMask != null) scores = scores.add(attnMask);
        Tensor ctx = scores.softmax(-1).matmul(v).transpose(1, 2).reshape(batch, len, localHeads * headDim);
        return outProj.forward(ctx);
    }

    private static Tensor project(Tensor x, Tensor w, Tensor b) {
        Tensor y = x.matmul(w.t());
        return b == null ? y : y.add(b);
    }

    /** (N, L, localHeads·d) → (N, localHeads, L, d). */
    private Tensor heads(Tensor t, int batch, int len) {
        return t.reshape(batch, len, localHeads, headDim).transpose(1, 2);
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + " (" + localHeads + " on rank " + group.rank() + " of " + group.size() + ")";
    }
}
