package org.sinter.autotune.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.autotune.te.Affine;
import org.sinter.autotune.te.Axis;
import org.sinter.autotune.te.ComputeDecl;

/**
 * How a compute declaration's loops run: TVM's schedule primitives on one stage. The nest starts
 * as the spatial axes then the reduce axes, serial; {@link #split}, {@link #reorder} and
 * {@link #fuse} reshape it, {@link #vectorize}, {@link #unroll} and {@link #parallel} annotate
 * loops, {@link #cacheWrite} accumulates into a local buffer (registers where it can) computed at a
 * loop and written back through the epilogue there (cache_write + compute_at), and {@link #pack}
 * repacks an input operand. {@link org.sinter.autotune.lower.Lowering} turns it into the loop IR;
 * a schedule that breaks a rule (an unaligned vector loop, a reduction outside the cache) fails
 * there with a message, which the tuner records as that candidate's error.
 */
public final class Schedule {
    private final ComputeDecl decl;
    private final List<Loop> loops = new ArrayList<>();
    /** Each axis of the declaration as an affine expression of loop variables. */
    private final Map<String, Affine> axisExpr = new LinkedHashMap<>();
    private final Map<String, Packing> packings = new LinkedHashMap<>();
    private String cacheAt;
    private int lanes = 8;
    private final List<String> trace = new ArrayList<>();

    public Schedule(ComputeDecl decl) {
        this.decl = decl;
        for (Axis a : decl.axes()) {
            loops.add(Loop.of(a.name(), a.extent(), a.reduce()));
            axisExpr.put(a.name(), Affine.var(a.name()));
        }
    }

    public ComputeDecl decl() { return decl; }

    public List<Loop> loops() { return List.copyOf(loops); }

    public Map<String, Affine> axisExpr() { return Map.copyOf(axisExpr); }

    public Map<String, Packing> packings() { return Map.copyOf(packings); }

    /** The loop the accumulator is computed at, or null (then: just outside the outermost reduce loop). */
    public String cacheAt() { return cacheAt; }

    /** Floats per vector (the species: 4, 8 or 16 for 128-, 256- and 512-bit vectors). */
    public int lanes() { return lanes; }

    /** The primitives applied, in order (the schedule's readable form, in logs and errors). */
    public List<String> trace() { return List.copyOf(trace); }

    public int indexOf(String loop) {
        for (int i = 0; i < loops.size(); i++) if (loops.get(i).name().equals(loop)) return i;
        throw new IllegalArgumentException("schedule of " + decl.workload() + ": no loop " + loop + " in " + names());
    }

    public Loop loop(String name) {
        return loops.get(indexOf(name));
    }

    /** Splits {@code loop} into {@code loop_o} (outer) and {@code loop_i} of extent {@code factor}, which must divide it. */
    public String[] split(String loop, int factor) {
        int at = indexOf(loop);
        Loop l = loops.get(at);
        if (factor < 1 || l.extent() % factor != 0) {
            throw new IllegalArgumentException("split " + loop + " (extent " + l.extent() + ") by " + factor + ": the factor must divide the extent");
        }
        if (!l.fusedOf().isEmpty()) throw new IllegalArgumentException("split " + loop + ": a fused loop cannot be split");
        String o = loop + "_o", i = loop + "_i";
        loops.set(at, Loop.of(i, factor, l.reduce()).with(l.kind()));
        loops.add(at, Loop.of(o, l.extent() / factor, l.reduce()));
        Affine by = Affine.var(o).times(factor).plus(Affine.var(i));
        axisExpr.replaceAll((k, e) -> e.substitute(loop, by));
        trace.add("split(" + loop + ", " + factor + ")");
        return new String[] {o, i};
    }

    /** Puts the named loops, in this order, into the positions they occupy (TVM's reorder). */
    public void reorder(String... names) {
        List<Integer> slots = new ArrayList<>();
        List<Loop> chosen = new ArrayList<>();
        for (String n : names) {
            int at = indexOf(n);
            if (slots.contains(at)) throw new IllegalArgumentException("reorder: loop " + n + " named twice");
            slots.add(at);
            chosen.add(loops.get(at));
        }
        List<Integer> sorted = new ArrayList<>(slots);
        sorted.sort(null);
        for (int k = 0; k < sorted.size(); k++) loops.set(sorted.get(k), chosen.get(k));
        trace.add("reorder(" + String.join(", ", names) + ")");
    }

    /** Fuses {@code outer} and the loop right inside it, both spatial, into one loop {@code outer_inner_f} (fused loops fuse further). */
    public String fuse(String outer, String inner) {
        int at = indexOf(outer);
        if (at + 1 >= loops.size() || !loops.get(at + 1).name().equals(inner)) {
            throw new IllegalArgumentException("fuse " + outer + ", " + inner + ": the loops must be adjacent, outer first, in " + names());
        }
        Loop a = loops.get(at), b = loops.get(at + 1);
        if (a.reduce() || b.reduce()) throw new IllegalArgumentException("fuse " + outer + ", " + inner + ": only spatial loops fuse");
        List<String> parts = new ArrayList<>();
        List<Integer> extents = new ArrayList<>();
        for (Loop l : List.of(a, b)) {
            parts.addAll(l.fusedOf().isEmpty() ? List.of(l.name()) : l.fusedOf());
            extents.addAll(l.fusedOf().isEmpty() ? List.of(l.extent()) : l.fusedExtents());
        }
        String name = outer + "_" + inner + "_f";
        loops.set(at, new Loop(name, a.extent() * b.extent(), false, Loop.Kind.SERIAL, parts, extents));
        loops.remove(at + 1);
        trace.add("fuse(" + outer + ", " + inner + ")");
        return name;
    }

    public void vectorize(String loop) {
        annotate(loop, Loop.Kind.VECTORIZED);
    }

    public void unroll(String loop) {
        annotate(loop, Loop.Kind.UNROLLED);
    }

    /** Runs {@code loop} (it must end up outermost) across the intra-op thread pool. */
    public void parallel(String loop) {
        annotate(loop, Loop.Kind.PARALLEL);
    }

    private void annotate(String loop, Loop.Kind k) {
        int at = indexOf(loop);
        loops.set(at, loops.get(at).with(k));
        trace.add(k.name().toLowerCase() + "(" + loop + ")");
    }

    /** Accumulates the reduction in a local buffer computed at {@code loop}, written back through the epilogue there. */
    public void cacheWrite(String loop) {
        indexOf(loop);
        cacheAt = loop;
        trace.add("cache_write(compute_at " + loop + ")");
    }

    /** Repacks input {@code tensor} (see {@link Packing}). */
    public void pack(String tensor, int dim, int factor, int... order) {
        var p = decl.input(tensor);
        if (dim < 0 || dim >= p.shape().length) throw new IllegalArgumentException("pack " + tensor + ": no dim " + dim + " in " + p);
        if (p.shape()[dim] % factor != 0) {
            throw new IllegalArgumentException("pack " + tensor + ": factor " + factor + " must divide dim " + dim + " of " + p);
        }
        int n = p.shape().length + 1;
        if (order.length == 0) {
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        if (order.length != n) throw new IllegalArgumentException("pack " + tensor + ": order needs " + n + " entries, got " + order.length);
        packings.put(tensor, new Packing(dim, factor, order));
        trace.add("pack(" + tensor + ", dim " + dim + ", " + factor + ", " + java.util.Arrays.toString(order) + ")");
    }

    /** The vector width in floats: 4, 8 or 16. */
    public void species(int floats) {
        if (floats != 4 && floats != 8 && floats != 16) throw new IllegalArgumentException("species: 4, 8 or 16 floats, got " + floats);
        lanes = floats;
        trace.add("species(" + floats + ")");
    }

    public List<String> names() {
        return loops.stream().map(Loop::name).toList();
    }

    @Override
    public String toString() {
        return String.join("; ", trace);
    }
}
