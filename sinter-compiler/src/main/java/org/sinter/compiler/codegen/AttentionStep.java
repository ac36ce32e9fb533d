package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.FusedAttention;

/**
 * Runs an {@link AttentionPlanner.Match}: queries, keys and values read where they lie (the heads'
 * views of the projections, no copies), the probabilities never stored, the result written in the
 * layout the graph wants next. Equal to the unfused chain to float rounding (see {@link FusedAttention}).
 */
final class AttentionStep implements ProgramStep {
    private final AttentionPlanner.Match m;

    AttentionStep(AttentionPlanner.Match m) {
        this.m = m;
    }

    @Override
    public List<Value> reads() {
        List<Value> r = new ArrayList<>(List.of(m.query(), m.keysTransposed(), m.values()));
        if (m.mask() != null) r.add(m.mask());
        return r;
    }

    @Override public List<Value> writes() { return List.of(m.output()); }

    @Override
    public String label() {
        return "compiled.Attention " + java.util.Arrays.toString(m.output().shape()) + (m.causal() ? " causal" : "");
    }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        Tensor q = env.get(m.query()), kt = env.get(m.keysTransposed()), v = env.get(m.values());
        if (v.stride()[2] != 1) v = v.contiguous();
        int heads = q.size(0), l = q.size(1), d = q.size(2), s = kt.size(2);
        Tensor o = out.allocate(m.output());
        // kt is [H, D, S]: K[h, j, p] = kt[h, p, j].
        int[] kst = kt.stride();
        FusedAttention.View k = new FusedAttention.View(kt.storage().floats(), kt.storageOffset(), kst[0], kst[2], kst[1]);
        FusedAttention.View mask = null;
        if (m.mask() != null) {
            Tensor mt = env.get(m.mask()).expand(heads, l, s);
            int[] mst = mt.stride();
            mask = new FusedAttention.View(mt.storage().floats(), mt.storageOffset(), mst[0], mst[1], mst[2]);
        }
        // [H, L, D], or [L, H, D] when the heads' transpose back and its copy were folded in.
        FusedAttention.View ov = m.headsOutside()
                ? new FusedAttention.View(o.storage().floats(), o.storageOffset(), d, heads * d, 1)
                : new FusedAttention.View(o.storage().floats(), o.storageOffset(), l * d, d, 1);
        FusedAttention.forward(heads, l, s, d, view(q), m.divisor(), k, view(v), mask, m.causal(), ov);
        env.put(m.output(), o);
    }

    private static FusedAttention.View view(Tensor t) {
        int[] st = t.stride();
        return new FusedAttention.View(t.storage().floats(), t.storageOffset(), st[0], st[1], st[2]);
    }
}
