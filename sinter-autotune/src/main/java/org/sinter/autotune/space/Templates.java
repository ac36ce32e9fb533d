package org.sinter.autotune.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.incubator.vector.FloatVector;
import org.sinter.autotune.lower.WinogradKernel;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Workloads;
import org.sinter.kernels.conv.PackedConv;

/**
 * The schedule template of each operator family, chosen by {@link #of}. Each one is the classic
 * CPU schedule of its operator with its sizes left as knobs: register tiles of whole vectors
 * accumulated in registers (cache_write at the tile loop), operands packed so the vector loop reads
 * them at unit stride, outer loops fused and run across the intra-op pool.
 */
public final class Templates {
    private Templates() {}

    /** The widest vector this machine runs natively, in floats (the species knobs stop there). */
    public static final int HOST_LANES = FloatVector.SPECIES_PREFERRED.length();

    public static Template of(ComputeDecl d) {
        return switch (d.op()) {
            case "conv2d" -> new ConvTemplate(d);
            case "depthwise_conv2d" -> new DepthwiseTemplate(d);
            case "matmul", "bmm", "dense" -> new GemmTemplate(d);
            case "row_rms" -> new RowReduceTemplate(d);
            default -> throw new IllegalArgumentException("autotune: no schedule template for operator " + d.op() + " (" + d.workload() + ")");
        };
    }

    /** Every template that can compute {@code d}: its operator's ({@link #of}), and Winograd's for a 3x3 stride-1 conv2d. */
    public static List<Template> all(ComputeDecl d) {
        List<Template> out = new ArrayList<>(List.of(of(d)));
        if (WinogradTemplate.applies(d)) out.add(new WinogradTemplate(d));
        return out;
    }

    /** The template a log record names for {@code d} (a record's {@code template} field); fails naming both when none fits. */
    public static Template named(String name, ComputeDecl d) {
        for (Template t : all(d)) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("autotune: no template " + name + " for " + d.workload());
    }

    /** The divisors of {@code n} up to {@code max}. */
    static List<Integer> divisors(int n, int max) {
        List<Integer> out = new ArrayList<>();
        for (int d = 1; d <= Math.min(n, max); d++) if (n % d == 0) out.add(d);
        return out;
    }

    /** The vector widths (4, 8, 16 floats) up to the host's that divide {@code n}; fails naming the operator when none does. */
    static List<Integer> lanes(int n, String what) {
        List<Integer> out = new ArrayList<>();
        for (int l = 4; l <= HOST_LANES; l *= 2) if (n % l == 0) out.add(l);
        if (out.isEmpty()) throw new IllegalArgumentException("autotune: " + what + " (" + n + ") is not a multiple of 4: no vector schedule");
        return out;
    }

    static void require(boolean ok, String why) {
        if (!ok) throw new IllegalArgumentException("invalid configuration: " + why);
    }

    /** Direct NCHW convolution, output channels in the vector, a tile of output pixels × channel vectors in registers. */
    record ConvTemplate(ComputeDecl decl, ConfigSpace space) implements Template {
        ConvTemplate(ComputeDecl d) {
            this(d, new ConfigSpace(List.of(
                    new Knob("lanes", lanes(d.axis("kk").extent(), "conv2d output channels per group")),
                    new Knob("tile_k", List.of(1, 2, 4)),
                    new Knob("tile_ow", divisors(d.axis("ow").extent(), 16)),
                    new Knob("tile_oh", divisors(d.axis("oh").extent(), 2)),
                    new Knob("reduce_order", List.of(0, 1)),
                    new Knob("unroll_s", List.of(0, 1)),
                    new Knob("outer_order", List.of(0, 1)))));
        }

        @Override public String name() { return "conv2d_nchw_direct"; }

        /**
         * The built-in stride-2 kernel's schedule ({@code StridedConv}, through
         * {@link PackedConv#stridedTile}) as a point of this space, where the compiler runs that
         * kernel on this convolution and its tile divides the output: its channel vectors
         * ({@code tile_k}) by rows by 7 columns, the reduction's outer loop over taps and inner over
         * channels ({@code reduce_order} r,s,c), or for a stem of few channels outer over (c, r) and
         * inner over the kernel's columns, written out ({@code unroll_s}); channel panels outside row
         * blocks. Empty where that kernel does not run, or where its moved-back last tile (a width
         * not a multiple of 7, an odd height under a two-row tile) is not a tiling this space has.
         */
        public Optional<Config> builtinConfig() {
            if (!decl.workload().startsWith("conv2d_nchw(")) return Optional.empty();
            ConvParams p = Workloads.convParams(decl);
            PackedConv.StridedTile t = PackedConv.stridedTile(WinogradKernel.geometry(p));
            if (t == null) return Optional.empty();
            Map<String, Integer> v = Map.of("lanes", t.lanes(), "tile_k", t.vectors(), "tile_ow", t.cols(), "tile_oh", t.rows(),
                    "reduce_order", t.channelsInner() ? 1 : 0, "unroll_s", t.channelsInner() ? 0 : 1, "outer_order", 0);
            for (Knob k : space.knobs()) if (!k.values().contains(v.get(k.name()))) return Optional.empty();
            return Optional.of(space.of(v));
        }

        /** The built-in's point ({@link #builtinConfig}) where it has one: the tuner measures it first. */
        @Override
        public List<Config> seeds() {
            return builtinConfig().map(List::of).orElse(List.of());
        }

        @Override
        public Schedule apply(Config c) {
            int lanes = c.get("lanes"), tk = c.get("tile_k");
            require(decl.axis("kk").extent() % (lanes * tk) == 0, "tile_k " + tk + " x lanes " + lanes + " does not divide the channels");
            require(tk * c.get("tile_ow") * c.get("tile_oh") <= 32, "register tile over 32 vectors");
            Schedule s = new Schedule(decl);
            s.species(lanes);
            String[] kk = s.split("kk", lanes * tk);
            String[] kv = s.split(kk[1], lanes);
            String[] oh = s.split("oh", c.get("tile_oh"));
            String[] ow = s.split("ow", c.get("tile_ow"));
            String first = c.get("outer_order") == 0 ? kk[0] : oh[0], second = c.get("outer_order") == 0 ? oh[0] : kk[0];
            List<String> order = new ArrayList<>(List.of("n", "g", first, second, ow[0]));
            order.addAll(c.get("reduce_order") == 0 ? List.of("c", "r", "s") : List.of("r", "s", "c"));
            order.addAll(List.of(oh[1], ow[1], kv[0], kv[1]));
            s.reorder(order.toArray(String[]::new));
            String f = s.fuse(s.fuse(s.fuse("n", "g"), first), second);
            s.parallel(f);
            s.cacheWrite(ow[0]);
            s.unroll(oh[1]);
            s.unroll(ow[1]);
            s.unroll(kv[0]);
            if (c.get("unroll_s") == 1) s.unroll("s");
            s.vectorize(kv[1]);
            s.pack("W", 0, lanes);
            return s;
        }
    }

    /** Depthwise convolution: output columns in the vector (a gather for strided ones), a tile of rows × vectors in registers. */
    record DepthwiseTemplate(ComputeDecl decl, ConfigSpace space) implements Template {
        DepthwiseTemplate(ComputeDecl d) {
            this(d, new ConfigSpace(List.of(
                    new Knob("lanes", lanes(d.axis("ow").extent(), "depthwise conv2d output width")),
                    new Knob("tile_ow", List.of(1, 2, 4)),
                    new Knob("tile_oh", divisors(d.axis("oh").extent(), 4)),
                    new Knob("unroll_s", List.of(0, 1)))));
        }

        @Override public String name() { return "depthwise_conv2d_nchw"; }

        @Override
        public Schedule apply(Config c) {
            int lanes = c.get("lanes"), tw = c.get("tile_ow");
            require(decl.axis("ow").extent() % (lanes * tw) == 0, "tile_ow " + tw + " x lanes " + lanes + " does not divide the width");
            Schedule s = new Schedule(decl);
            s.species(lanes);
            String[] ow = s.split("ow", lanes * tw);
            String[] ov = s.split(ow[1], lanes);
            String[] oh = s.split("oh", c.get("tile_oh"));
            s.reorder("n", "c", oh[0], ow[0], "r", "s", oh[1], ov[0], ov[1]);
            s.parallel(s.fuse(s.fuse("n", "c"), oh[0]));
            s.cacheWrite(ow[0]);
            s.unroll(oh[1]);
            s.unroll(ov[0]);
            if (c.get("unroll_s") == 1) s.unroll("s");
            s.vectorize(ov[1]);
            return s;
        }
    }

    /** matmul, bmm and dense: an i × (j vectors) register tile over a k block, B (or W) packed into panels of one vector's width. */
    record GemmTemplate(ComputeDecl decl, ConfigSpace space) implements Template {
        GemmTemplate(ComputeDecl d) {
            this(d, new ConfigSpace(List.of(
                    new Knob("lanes", lanes(d.axis("j").extent(), d.op() + " output columns")),
                    new Knob("tile_i", divisors(d.axis("i").extent(), 8)),
                    new Knob("tile_j", List.of(1, 2, 3, 4)),
                    new Knob("tile_k", divisors(d.axis("k").extent(), 256)),
                    new Knob("unroll_k", List.of(1, 2, 4)))));
        }

        @Override public String name() { return decl.op() + "_tiled"; }

        @Override
        public Schedule apply(Config c) {
            return tiledProduct(decl, c.get("lanes"), c.get("tile_i"), c.get("tile_j"), c.get("tile_k"), c.get("unroll_k"), false, true);
        }
    }

    /**
     * The register-tiled product schedule of a matmul, bmm or dense declaration: {@code tileI} rows
     * × {@code tileJ} vectors of {@code lanes} columns accumulated over blocks of {@code tileK}
     * (unrolled by {@code unrollK}); the batch and both tile loops fused into the parallel loop
     * (rows outside, or columns where {@code columnsOuter}); B (or W) packed into panels of one
     * vector's width where {@code packB} (else read in place: the operand must then be contiguous
     * along j).
     */
    static Schedule tiledProduct(ComputeDecl decl, int lanes, int tileI, int tileJ, int tileK, int unrollK, boolean columnsOuter, boolean packB) {
        require(decl.axis("j").extent() % (lanes * tileJ) == 0, "tile_j " + tileJ + " x lanes " + lanes + " does not divide the columns");
        require(tileK % unrollK == 0, "unroll_k " + unrollK + " does not divide tile_k " + tileK);
        require(tileI * tileJ <= 32, "register tile over 32 vectors");
        Schedule s = new Schedule(decl);
        s.species(lanes);
        String[] i = s.split("i", tileI);
        String[] j = s.split("j", lanes * tileJ);
        String[] jv = s.split(j[1], lanes);
        String[] k = s.split("k", tileK);
        String[] ku = s.split(k[1], unrollK);
        boolean batched = decl.spatial().stream().anyMatch(a -> a.name().equals("b"));
        List<String> order = new ArrayList<>(batched ? List.of("b") : List.of());
        order.addAll(columnsOuter ? List.of(j[0], i[0]) : List.of(i[0], j[0]));
        order.addAll(List.of(k[0], ku[0], ku[1], i[1], jv[0], jv[1]));
        s.reorder(order.toArray(String[]::new));
        String outer = columnsOuter ? s.fuse(j[0], i[0]) : s.fuse(i[0], j[0]);
        if (batched) outer = s.fuse("b", outer);
        s.parallel(outer);
        s.cacheWrite(outer);
        s.unroll(ku[1]);
        s.unroll(i[1]);
        s.unroll(jv[0]);
        s.vectorize(jv[1]);
        if (packB) {
            switch (decl.op()) {
                case "matmul" -> s.pack("B", 1, lanes, 1, 0, 2);
                case "bmm" -> s.pack("B", 2, lanes, 0, 2, 1, 3);
                default -> s.pack("W", 0, lanes, 0, 2, 1);
            }
        }
        return s;
    }

    /** Row reduction: the sum in vector lanes (reduced at write-back), rows and vectors unrolled into registers. */
    record RowReduceTemplate(ComputeDecl decl, ConfigSpace space) implements Template {
        RowReduceTemplate(ComputeDecl d) {
            this(d, new ConfigSpace(List.of(
                    new Knob("lanes", lanes(d.axis("j").extent(), "row length")),
                    new Knob("tile_i", divisors(d.axis("i").extent(), 4)),
                    new Knob("unroll_j", List.of(1, 2, 4)))));
        }

        @Override public String name() { return "row_reduce"; }

        @Override
        public Schedule apply(Config c) {
            int lanes = c.get("lanes"), u = c.get("unroll_j");
            require(decl.axis("j").extent() % (lanes * u) == 0, "unroll_j " + u + " x lanes " + lanes + " does not divide the row");
            Schedule s = new Schedule(decl);
            s.species(lanes);
            String[] i = s.split("i", c.get("tile_i"));
            String[] j = s.split("j", lanes * u);
            String[] jv = s.split(j[1], lanes);
            s.reorder(i[0], j[0], i[1], jv[0], jv[1]);
            s.parallel(i[0]);
            s.cacheWrite(i[0]);
            s.unroll(i[1]);
            s.unroll(jv[0]);
            s.vectorize(jv[1]);
            return s;
        }
    }
}
