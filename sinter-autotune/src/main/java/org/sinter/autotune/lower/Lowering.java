package org.sinter.autotune.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.autotune.schedule.Loop;
import org.sinter.autotune.schedule.Packing;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.Affine;
import org.sinter.autotune.te.Axis;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Expr;
import org.sinter.autotune.te.Placeholder;

/**
 * Lowers a {@link Schedule} to the {@link LoopProgram} IR: checks the schedule's rules, works out
 * each input's padding (from the ranges its padded loads reach) and packing, and rewrites every
 * index as a flat affine offset in loop variables.
 */
public final class Lowering {
    /** The most copies of the innermost statement that unrolling may make (javac's 64 KiB method limit, C2's huge-method limit). */
    public static final int MAX_UNROLLED = 256;
    /** The most vector registers a promoted accumulator may take. */
    public static final int MAX_REGISTERS = 48;

    private Lowering() {}

    public static LoopProgram lower(Schedule s) {
        ComputeDecl d = s.decl();
        List<Loop> loops = s.loops();
        String where = "schedule of " + d.workload() + " [" + s + "]";
        int firstReduce = -1, vector = -1;
        for (int i = 0; i < loops.size(); i++) {
            Loop l = loops.get(i);
            if (l.reduce() && firstReduce < 0) firstReduce = i;
            if (l.kind() == Loop.Kind.VECTORIZED) {
                if (vector >= 0) throw new IllegalArgumentException(where + ": more than one vectorised loop");
                vector = i;
            }
            if (l.kind() == Loop.Kind.PARALLEL && (i != 0 || l.reduce())) {
                throw new IllegalArgumentException(where + ": only the outermost loop, a spatial one, may be parallel (" + l.name() + " is at " + i + ")");
            }
        }
        if (firstReduce <= 0) throw new IllegalArgumentException(where + ": the outermost loop must be spatial (the threads split it)");
        if (vector >= 0 && vector != loops.size() - 1) throw new IllegalArgumentException(where + ": the vectorised loop " + loops.get(vector).name() + " must be innermost");
        if (vector >= 0 && loops.get(vector).extent() != s.lanes()) {
            throw new IllegalArgumentException(where + ": the vectorised loop " + loops.get(vector).name() + " has extent " + loops.get(vector).extent()
                    + ", the species " + s.lanes() + " lanes");
        }
        int cacheAt = s.cacheAt() == null ? firstReduce - 1 : s.indexOf(s.cacheAt());
        if (cacheAt >= firstReduce) {
            throw new IllegalArgumentException(where + ": the accumulator is computed at " + loops.get(cacheAt).name() + ", inside reduce loop " + loops.get(firstReduce).name());
        }
        long unrolled = 1;
        for (int i = 0; i < loops.size(); i++) {
            Loop l = loops.get(i);
            if (!l.fusedOf().isEmpty() && i > cacheAt) throw new IllegalArgumentException(where + ": fused loop " + l.name() + " must be outside the accumulator");
            if (l.kind() == Loop.Kind.UNROLLED) {
                if (i <= cacheAt) throw new IllegalArgumentException(where + ": loop " + l.name() + " outside the accumulator cannot be unrolled");
                unrolled *= l.extent();
            }
        }
        if (unrolled > MAX_UNROLLED) throw new IllegalArgumentException(where + ": unrolling makes " + unrolled + " copies, more than " + MAX_UNROLLED);
        List<Integer> local = new ArrayList<>();
        boolean promotable = true;
        for (int i = cacheAt + 1; i < loops.size(); i++) {
            Loop l = loops.get(i);
            if (l.reduce()) continue;
            local.add(i);
            if (l.kind() != Loop.Kind.UNROLLED && l.kind() != Loop.Kind.VECTORIZED) promotable = false;
        }
        Map<String, Integer> ranges = loopRanges(loops);
        Map<String, Affine> axisExpr = s.axisExpr();
        Map<String, StagedBuffer> buffers = new LinkedHashMap<>();
        for (Placeholder p : d.inputs()) buffers.put(p.name(), stage(d, p, s.packings().get(p.name()), where));
        Expr body = Expr.mapLoads(d.body(), l -> flatLoad(l, buffers.get(l.tensor()), axisExpr, ranges, where));
        Expr epilogue = Expr.mapLoads(d.epilogue(), l -> flatLoad(l, buffers.get(l.tensor()), axisExpr, ranges, where));
        int[] outStrides = new Placeholder("out", d.outShape(), false).strides();
        Affine out = Affine.constant(0);
        for (int i = 0; i < outStrides.length; i++) out = out.plus(substitute(d.outIndex().get(i), axisExpr).times(outStrides[i]));
        var prog = new LoopProgram(d, s.lanes(), loops, cacheAt, List.copyOf(buffers.values()), body, epilogue, out, local, vector, false, s.trace());
        int registers = prog.localSize() / (vector >= 0 ? s.lanes() : 1);
        boolean promoted = promotable && registers <= MAX_REGISTERS;
        return new LoopProgram(d, s.lanes(), loops, cacheAt, List.copyOf(buffers.values()), body, epilogue, out, local, vector, promoted, s.trace());
    }

    /** Each loop variable's extent, fused loops' derived variables included. */
    static Map<String, Integer> loopRanges(List<Loop> loops) {
        Map<String, Integer> r = new HashMap<>();
        for (Loop l : loops) {
            r.put(l.name(), l.extent());
            for (int k = 0; k < l.fusedOf().size(); k++) r.put(l.fusedOf().get(k), l.fusedExtents().get(k));
        }
        return r;
    }

    private static Affine substitute(Affine e, Map<String, Affine> axisExpr) {
        Affine out = e;
        for (var a : axisExpr.entrySet()) out = out.substitute(a.getKey(), a.getValue());
        return out;
    }

    /** The input as staged: padding from the range every padded load reaches, then the packing. */
    private static StagedBuffer stage(ComputeDecl d, Placeholder p, Packing packing, String where) {
        int rank = p.shape().length;
        int[] lo = new int[rank], hi = new int[rank];
        Map<String, Integer> extents = new HashMap<>();
        for (Axis a : d.axes()) extents.put(a.name(), a.extent());
        List<Expr.Load> loads = new ArrayList<>();
        Expr.loads(d.body(), loads);
        Expr.loads(d.epilogue(), loads);
        for (Expr.Load l : loads) {
            if (!l.tensor().equals(p.name())) continue;
            for (int k = 0; k < rank; k++) {
                int[] mm = range(l.index().get(k), extents);
                if (!l.padded() && (mm[0] < 0 || mm[1] >= p.shape()[k])) {
                    throw new IllegalArgumentException(d.workload() + ": load of " + p + " dim " + k + " reaches [" + mm[0] + ", " + mm[1] + "] unpadded");
                }
                lo[k] = Math.max(lo[k], -mm[0]);
                hi[k] = Math.max(hi[k], mm[1] - (p.shape()[k] - 1));
            }
        }
        int[] padded = new int[rank];
        for (int k = 0; k < rank; k++) padded[k] = p.shape()[k] + lo[k] + hi[k];
        int[] shape = padded;
        if (packing != null) {
            if (packing.dim() >= rank || padded[packing.dim()] % packing.factor() != 0) {
                throw new IllegalArgumentException(where + ": " + packing + " does not divide " + p.name() + java.util.Arrays.toString(padded));
            }
            int[] unpermuted = new int[rank + 1];
            for (int k = 0; k < rank; k++) unpermuted[k] = k == packing.dim() ? padded[k] / packing.factor() : padded[k];
            unpermuted[rank] = packing.factor();
            shape = new int[rank + 1];
            for (int k = 0; k <= rank; k++) shape[k] = unpermuted[packing.order()[k]];
        }
        return new StagedBuffer(p, lo, hi, packing, padded, shape);
    }

    /** The [min, max] of an affine expression over the box of its variables' extents. */
    static int[] range(Affine e, Map<String, Integer> extents) {
        int min = e.constant(), max = e.constant();
        for (var t : e.terms().entrySet()) {
            Integer ext = extents.get(t.getKey());
            if (ext == null) throw new IllegalStateException("range: unknown variable " + t.getKey() + " in " + e);
            int far = t.getValue() * (ext - 1);
            min += Math.min(0, far);
            max += Math.max(0, far);
        }
        return new int[] {min, max};
    }

    /** A load rewritten as one flat offset (in loop variables) into its staged buffer. */
    private static Expr.Load flatLoad(Expr.Load l, StagedBuffer b, Map<String, Affine> axisExpr, Map<String, Integer> ranges, String where) {
        int rank = l.index().size();
        List<Affine> dims = new ArrayList<>();
        for (int k = 0; k < rank; k++) dims.add(substitute(l.index().get(k).plus(b.padLo()[k]), axisExpr));
        Packing pk = b.packing();
        if (pk != null) {
            Affine[] qr = divMod(dims.get(pk.dim()), pk.factor(), ranges);
            if (qr == null) {
                throw new IllegalArgumentException(where + ": " + pk + " of " + b.name() + ": its index " + dims.get(pk.dim())
                        + " does not split by " + pk.factor() + " under this schedule");
            }
            List<Affine> unpermuted = new ArrayList<>(dims);
            unpermuted.set(pk.dim(), qr[0]);
            unpermuted.add(qr[1]);
            dims = new ArrayList<>();
            for (int k = 0; k <= rank; k++) dims.add(unpermuted.get(pk.order()[k]));
        }
        int[] strides = new Placeholder(b.name(), b.shape(), false).strides();
        Affine flat = Affine.constant(0);
        for (int k = 0; k < dims.size(); k++) flat = flat.plus(dims.get(k).times(strides[k]));
        return new Expr.Load(l.tensor(), List.of(flat), false);
    }

    /**
     * {@code e / f} and {@code e % f} as affine expressions, when the terms whose coefficients are
     * not multiples of {@code f} stay within [0, f) — e.g. {@code 16·ko + ki} with ki &lt; 16; else null.
     */
    static Affine[] divMod(Affine e, int f, Map<String, Integer> ranges) {
        TreeMap<String, Integer> q = new TreeMap<>(), r = new TreeMap<>();
        e.terms().forEach((v, c) -> {
            if (c % f == 0) q.put(v, c / f);
            else r.put(v, c);
        });
        int cq = Math.floorDiv(e.constant(), f), cr = Math.floorMod(e.constant(), f);
        Affine rem = new Affine(r, cr);
        int[] mm = range(rem, ranges);
        if (mm[0] < 0 || mm[1] >= f) return null;
        return new Affine[] {new Affine(q, cq), rem};
    }
}
