package org.sinter.autotune.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.lower.WinogradKernel;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Workloads;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.WinogradConv;

/**
 * 3x3 stride-1 convolution by Winograd's F(m x m, 3 x 3) (AutoTVM's {@code conv2d_nchw_winograd}):
 * sinter-core's input and output transforms are fixed stages, and the {@code (m+2)²} products
 * {@code M[ξ] = U[ξ] · V[ξ]} ({@code [K x C] · [C x tiles]}, one batched product over ξ:
 * {@link Operators#winogradProduct}) are the generated, tuned part. Knobs: the tile {@code m} (2,
 * or 4 on planes of 16² and more), {@code rows} of tiles per chunk (V and M of a chunk should stay
 * in L2; the last chunk may have fewer), the product's register tile ({@code tile_i} output
 * channels × {@code tile_j} vectors of {@code lanes} tiles; U packed by {@code tile_i} rows so each
 * step's broadcasts are consecutive floats, K padded with zero rows to a multiple of it), channel
 * block {@code tile_k} and its unrolling, the products' loop order ({@code outer_order}: per point,
 * output-channel blocks then tile vectors, or tile vectors then blocks), and how the threads share
 * a call ({@code split}, {@link WinogradKernel.Split}: 0, each chunk's products by their fused
 * parallel loop and its output transform by channels; 1, each chunk by blocks of output channels,
 * each thread taking its blocks through their products over every point and then through the
 * output transform while their M is in its cache; 2, whole chunks per thread). The built-in
 * {@link WinogradConv}'s own schedule is a point of this space ({@link #builtinConfig}: its tile,
 * chunk rows, 6 x 2-vector register tile over every channel, vectors outside blocks, and its split,
 * 1 or 2), and the tuner measures it first. F(4x4) rounds
 * more than F(2x2), and both more as the channels grow: a candidate must be within 1e-5 (m = 4) or
 * 1e-6 (m = 2) of the largest output, as {@code WinogradConvTest} bounds the built-in Winograd, times
 * the square root of its input channels over 64 ({@link #tolerance}).
 */
public record WinogradTemplate(ComputeDecl decl, ConvParams params, ConfigSpace space) implements Template {
    public static final String NAME = "conv2d_nchw_winograd";

    public WinogradTemplate(ComputeDecl d) {
        this(d, checked(d));
    }

    private WinogradTemplate(ComputeDecl d, ConvParams p) {
        this(d, p, new ConfigSpace(List.of(
                new Knob("m", tileSizes(p)),
                new Knob("rows", chunkRows(p)),
                new Knob("lanes", Templates.lanes(16, "Winograd tiles per vector")),
                new Knob("tile_i", rowTiles(p)),
                new Knob("tile_j", List.of(1, 2, 3, 4)),
                new Knob("tile_k", channelBlocks(p.c())),
                new Knob("unroll_k", List.of(1, 2, 4)),
                new Knob("outer_order", List.of(0, 1)),
                new Knob("split", List.of(0, 1, 2)))));
    }

    /** Whether the Winograd template can compute {@code d}: a conv2d with a 3x3 kernel, unit stride and dilation, one group. */
    public static boolean applies(ComputeDecl d) {
        if (!d.op().equals("conv2d")) return false;
        ConvParams p = Workloads.convParams(d);
        return WinogradConv.applies(WinogradKernel.geometry(p));
    }

    private static ConvParams checked(ComputeDecl d) {
        if (!applies(d)) throw new IllegalArgumentException("autotune: " + NAME + " needs a 3x3, stride-1, undilated, ungrouped conv2d, got " + d.workload());
        return Workloads.convParams(d);
    }

    /**
     * F(2x2) everywhere; F(4x4) where the built-in runs it ({@code WinogradConv.tileSize}: planes of
     * 16² and more, or calls of at least 16 4x4 tiles). On smaller ones its 4x4 tiles are too few to
     * fill the product's vectors.
     */
    private static List<Integer> tileSizes(ConvParams p) {
        return WinogradConv.tileSize(WinogradKernel.geometry(p), p.n()) == 4 ? List.of(2, 4) : List.of(2);
    }

    /**
     * Tile rows per chunk: 1, 2, 4, 7, 8 and 14, the built-in's choice for each tile size, and each
     * tile size's whole plane, up to the plane's tile rows (F(2x2)'s, the more).
     */
    private static List<Integer> chunkRows(ConvParams p) {
        TreeSet<Integer> rows = new TreeSet<>(List.of(1, 2, 4, 7, 8, 14));
        for (int m : tileSizes(p)) {
            rows.add(WinogradConv.plan(WinogradKernel.geometry(p), 1, m, 1).rowsPerChunk());
            rows.add(tileRows(p, m));
        }
        return List.copyOf(rows.headSet(tileRows(p, 2), true));
    }

    private static int tileRows(ConvParams p, int m) {
        return Math.ceilDiv(p.outH(), m);
    }

    /** Output channels per register tile: the divisors of K up to 8, and the built-in product's rows (6; K then padded with zero rows). */
    private static List<Integer> rowTiles(ConvParams p) {
        TreeSet<Integer> out = new TreeSet<>(Templates.divisors(p.k(), 8));
        out.add(WinogradConv.plan(WinogradKernel.geometry(p), 1, 2, 1).productRows());
        return List.copyOf(out);
    }

    /** Channel blocks of the product's reduction: the divisors of {@code c} from 8 up to 256 (and {@code c} itself when smaller). */
    private static List<Integer> channelBlocks(int c) {
        List<Integer> out = new ArrayList<>();
        for (int d : Templates.divisors(c, 256)) if (d >= 8 || d == c) out.add(d);
        return out;
    }

    /**
     * The built-in {@link WinogradConv}'s schedule for this convolution on {@code threads} threads,
     * as a point of the space: its tile size, chunk rows and register tile (6 output channels x 2
     * vectors of 16 tiles, or of the widest vector this machine has), the whole reduction in one
     * block ({@code tile_k} the largest), tile vectors outside output-channel blocks, and its split:
     * by output-channel blocks where the threads share each chunk, else whole chunks per thread.
     */
    public Config builtinConfig(int threads) {
        ConvGeometry g = WinogradKernel.geometry(params);
        // The template runs sample by sample: the built-in's plan for one sample, with the tile it picks for the whole call.
        WinogradConv.Plan plan = WinogradConv.plan(g, 1, WinogradConv.tileSize(g, params.n()), threads);
        List<Integer> lanes = space.describe().get("lanes"), blocks = space.describe().get("tile_k");
        int vectors = WinogradKernel.stages(params, plan.m(), plan.rowsPerChunk()).stride() / lanes.getLast();
        // The built-in runs a last odd vector of tiles alone; here a chunk's vectors are whole register tiles, so an odd count takes one at a time.
        int tileJ = vectors % plan.productVectors() == 0 ? plan.productVectors() : 1;
        return space.of(Map.of("m", plan.m(), "rows", plan.rowsPerChunk(), "lanes", lanes.getLast(), "tile_i", plan.productRows(),
                "tile_j", tileJ, "tile_k", blocks.getLast(), "unroll_k", 1, "outer_order", 1, "split", plan.split() ? 1 : 2));
    }

    /** The built-in's schedule on the pool's threads ({@link #builtinConfig}): the tuner measures it first. */
    @Override
    public List<Config> seeds() {
        return List.of(builtinConfig(Parallel.numThreads()));
    }

    @Override public String name() { return NAME; }

    /**
     * The bound on a candidate's error: 1e-6 (F(2x2)) or 1e-5 (F(4x4)) relative to the largest output,
     * times {@code sqrt(C / 64)} from 64 input channels, because the rounding of a sum grows with the
     * square root of its length. Measured against the float64 reference on ResNet-18 (Gaussian inputs,
     * 2026-11-29), the built-in's own F(4x4) errs 7.7e-6 (C2, 64 channels), 7.4e-6 (C6, 128) and
     * 1.11e-5 (C9, 256): a flat 1e-5 rejected the built-in's own schedule on C9. Its F(2x2) errs 6.8e-7
     * (C9) and 8.4e-7 (C12, 512).
     */
    @Override
    public double tolerance(Config c) {
        return (c.get("m") == 2 ? 1e-6 : 1e-5) * Math.sqrt(Math.max(1.0, params.c() / 64.0));
    }

    /** The stages of {@code c}: its tile size and tile rows per chunk; rejects more rows than the plane has. */
    private WinogradConv.Stages stages(Config c) {
        int m = c.get("m"), rows = c.get("rows");
        Templates.require(rows <= tileRows(params, m), rows + " rows per chunk, over the " + tileRows(params, m) + " rows of " + m + "x" + m + " tiles");
        return WinogradKernel.stages(params, m, rows);
    }

    /** The schedule of the products of chunk {@code index} of {@code c} (the last chunk may be narrower than the others). */
    Schedule apply(Config c, WinogradConv.Stages st, int index) {
        int tileI = c.get("tile_i"), lanes = c.get("lanes"), tileJ = c.get("tile_j");
        int stride = st.stride(index);
        Templates.require(params.c() % c.get("tile_k") == 0, "tile_k " + c.get("tile_k") + " does not divide the " + params.c() + " channels");
        // A narrower last chunk keeps the register tile's rows and lanes, with as many vectors as divide its width.
        if (index > 0) while (stride % (lanes * tileJ) != 0) tileJ--;
        int rows = WinogradKernel.paddedRows(params.k(), tileI);
        Templates.require(rows <= st.mRows(), "tile_i " + tileI + " pads " + params.k() + " output channels past M's " + st.mRows() + " rows");
        ComputeDecl product = Operators.winogradProduct(st.points(), rows, stride, params.c(), st.vPoint(index), st.mPoint(index));
        Schedule s = Templates.tiledProduct(product, lanes, tileI, tileJ, c.get("tile_k"), c.get("unroll_k"), c.get("outer_order") == 1, false);
        s.pack("U", 1, tileI, 0, 1, 2, 3);
        return s;
    }

    /** The schedule of the products of a whole chunk ({@code winograd_product(points, K padded, tiles per chunk, C, …)}, a bmm with strided points). */
    @Override
    public Schedule apply(Config c) {
        return apply(c, stages(c), 0);
    }

    @Override
    public Kernel build(Config c, Schedule schedule) {
        WinogradConv.Stages st = stages(c);
        int last = st.chunks() - 1;
        Schedule tail = st.stride(last) == st.stride(0) ? schedule : apply(c, st, last);
        return WinogradKernel.build(params, c.get("m"), c.get("rows"), schedule, tail, WinogradKernel.Split.values()[c.get("split")],
                c.get("outer_order") == 1, c.get("tile_i"));
    }
}
