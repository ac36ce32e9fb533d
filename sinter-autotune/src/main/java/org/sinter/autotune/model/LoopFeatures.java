package org.sinter.autotune.model;

import java.util.ArrayList;
import java.util.List;
import org.sinter.autotune.lower.LoopProgram;
import org.sinter.autotune.lower.StagedBuffer;
import org.sinter.autotune.schedule.Loop;
import org.sinter.autotune.te.Affine;
import org.sinter.autotune.te.Expr;

/**
 * The cost model's input: AutoTVM's itervar features of a lowered candidate, plus its "curve"
 * features. Per loop (outermost first, padded to {@link #MAX_LOOPS}): log extent, annotation
 * (serial / parallel / unrolled / vectorised), reduce or spatial, inside the accumulator or not,
 * and for each buffer (inputs, output, accumulator) the log stride of the loop in it and the log of
 * the elements it touches from that loop inwards. The curve features sample each buffer's
 * touched-memory curve at fixed fractions of the depth, so nests of different depths (other
 * workloads, for transfer) compare. Globals: vector width, accumulator in registers, registers,
 * unrolled copies, gathers.
 */
public final class LoopFeatures {
    public static final int MAX_LOOPS = 14;
    /** Inputs (up to 4), the output, the accumulator. */
    public static final int BUFFERS = 6;
    private static final int PER_LOOP = 1 + 4 + 1 + 1 + 2 * BUFFERS;
    private static final double[] CURVE_AT = {0, 0.25, 0.5, 0.75, 1};
    public static final int SIZE = MAX_LOOPS * PER_LOOP + BUFFERS * CURVE_AT.length + 6;

    private LoopFeatures() {}

    public static float[] of(LoopProgram p) {
        float[] f = new float[SIZE];
        List<Loop> loops = p.loops();
        if (loops.size() > MAX_LOOPS) throw new IllegalArgumentException("features: " + loops.size() + " loops, at most " + MAX_LOOPS);
        List<Affine> access = new ArrayList<>();
        List<Expr.Load> loads = new ArrayList<>();
        Expr.loads(p.body(), loads);
        Expr.loads(p.epilogue(), loads);
        for (StagedBuffer b : p.buffers()) {
            if (access.size() == 4) break;
            Affine sum = Affine.constant(0);
            for (Expr.Load l : loads) if (l.tensor().equals(b.name())) sum = sum.plus(abs(l.index().getFirst()));
            access.add(sum);
        }
        while (access.size() < 4) access.add(null);
        access.add(p.outIndex());
        access.add(p.localIndex());
        double[][] touched = new double[BUFFERS][loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            Loop l = loops.get(i);
            int o = i * PER_LOOP;
            f[o] = log2(l.extent());
            f[o + 1 + l.kind().ordinal()] = 1;
            f[o + 5] = l.reduce() ? 1 : 0;
            f[o + 6] = i > p.cacheAt() ? 1 : 0;
            for (int b = 0; b < BUFFERS; b++) {
                Affine a = access.get(b);
                if (a == null) continue;
                f[o + 7 + 2 * b] = log2(Math.abs(coef(a, l)));
                double t = 1;
                for (int j = i; j < loops.size(); j++) if (coef(a, loops.get(j)) != 0) t *= loops.get(j).extent();
                touched[b][i] = log2(t);
                f[o + 8 + 2 * b] = (float) touched[b][i];
            }
        }
        int o = MAX_LOOPS * PER_LOOP;
        for (int b = 0; b < BUFFERS; b++) {
            double top = Math.max(1e-9, touched[b][0]);
            for (double at : CURVE_AT) {
                int i = (int) Math.round(at * (loops.size() - 1));
                f[o++] = (float) (touched[b][i] / top);
            }
        }
        long unrolled = 1;
        for (Loop l : loops) if (l.kind() == Loop.Kind.UNROLLED) unrolled *= l.extent();
        int gathers = 0;
        if (p.vectorLoop() >= 0) {
            String v = loops.get(p.vectorLoop()).name();
            for (Expr.Load l : loads) if (Math.abs(l.index().getFirst().coef(v)) > 1) gathers++;
            if (Math.abs(p.outIndex().coef(v)) > 1) gathers++;
        }
        f[o++] = p.lanes();
        f[o++] = p.promoted() ? 1 : 0;
        f[o++] = log2(p.localSize());
        f[o++] = log2(unrolled);
        f[o++] = gathers;
        f[o] = log2(p.decl().flops());
        return f;
    }

    private static Affine abs(Affine a) {
        java.util.Map<String, Integer> t = new java.util.TreeMap<>();
        a.terms().forEach((k, v) -> t.put(k, Math.abs(v)));
        return new Affine(t, 0);
    }

    /** The loop's coefficient in an access; a fused loop's is its parts' largest. */
    private static int coef(Affine a, Loop l) {
        if (l.fusedOf().isEmpty()) return a.coef(l.name());
        int c = 0;
        for (String part : l.fusedOf()) c = Math.max(c, Math.abs(a.coef(part)));
        return c;
    }

    private static float log2(double x) {
        return (float) (Math.log(x + 1) / Math.log(2));
    }
}
