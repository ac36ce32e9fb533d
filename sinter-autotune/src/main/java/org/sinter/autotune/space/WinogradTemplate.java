package org.sinter.autotune.space;

import java.util.ArrayList;
import java.util.List;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.lower.WinogradKernel;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Workloads;
import org.sinter.kernels.conv.WinogradConv;

/**
 * 3x3 stride-1 convolution by Winograd's F(m x m, 3 x 3) (AutoTVM's {@code conv2d_nchw_winograd}):
 * sinter-core's input and output transforms are fixed stages, and the {@code (m+2)²} products
 * {@code M[ξ] = U[ξ] · V[ξ]} ({@code [K x C] · [C x tiles]}, one batched product over ξ:
 * {@link Operators#winogradProduct}) are the generated,
 * tuned part. Knobs: the tile {@code m} (2, or 4 on planes of 16² and more), {@code chunks} of tile rows per call (V and M of
 * a chunk should stay in L2), and the product's register tile ({@code tile_i} output channels ×
 * {@code tile_j} vectors of {@code lanes} tiles), channel block {@code tile_k} and its unrolling,
 * and {@code outer_order}: whether the threads split each point's product by output-channel blocks
 * first or by tile vectors first. F(4x4) rounds more than F(2x2): a candidate must be within
 * 1e-5 (m = 4) or 1e-6 (m = 2) of the largest output, as {@code WinogradConvTest} bounds the
 * built-in Winograd.
 */
public record WinogradTemplate(ComputeDecl decl, ConvParams params, ConfigSpace space) implements Template {
    public static final String NAME = "conv2d_nchw_winograd";

    public WinogradTemplate(ComputeDecl d) {
        this(d, checked(d));
    }

    private WinogradTemplate(ComputeDecl d, ConvParams p) {
        this(d, p, new ConfigSpace(List.of(
                new Knob("m", tileSizes(p)),
                new Knob("chunks", List.of(1, 2, 4, 7)),
                new Knob("lanes", Templates.lanes(16, "Winograd tiles per vector")),
                new Knob("tile_i", Templates.divisors(p.k(), 8)),
                new Knob("tile_j", List.of(1, 2, 3, 4)),
                new Knob("tile_k", channelBlocks(p.c())),
                new Knob("unroll_k", List.of(1, 2, 4)),
                new Knob("outer_order", List.of(0, 1)))));
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
     * F(2x2) everywhere; F(4x4) only on planes of at least {@link #F4_MIN_SIDE} a side. On smaller
     * ones its 4x4 tiles are too few to fill the product's vectors, and its rounding passes the
     * 1e-5 bound with many channels (measured: every F(4x4) candidate of ResNet-18's C9, 14² with
     * 256 channels, 1.17e-5), so measuring it there spends trials on errors only.
     */
    private static List<Integer> tileSizes(ConvParams p) {
        return Math.min(p.outH(), p.outW()) >= F4_MIN_SIDE ? List.of(2, 4) : List.of(2);
    }

    /** Smallest output side on which F(4x4) is in the space (the built-in's own threshold, {@code WinogradConv.tileSize}). */
    static final int F4_MIN_SIDE = 16;

    /** Channel blocks of the product's reduction: the divisors of {@code c} from 8 up to 256 (and {@code c} itself when smaller). */
    private static List<Integer> channelBlocks(int c) {
        List<Integer> out = new ArrayList<>();
        for (int d : Templates.divisors(c, 256)) if (d >= 8 || d == c) out.add(d);
        return out;
    }

    @Override public String name() { return NAME; }

    @Override
    public double tolerance(Config c) {
        return c.get("m") == 2 ? 1e-6 : 1e-5;
    }

    /** The stages of {@code c}: its tile size and tile rows per chunk; rejects a chunk count that does not divide the tile rows. */
    private WinogradConv.Stages stages(Config c) {
        int m = c.get("m"), rows = Math.ceilDiv(params.outH(), m), chunks = c.get("chunks");
        Templates.require(rows % chunks == 0, chunks + " chunks do not divide the " + rows + " rows of " + m + "x" + m + " tiles");
        return WinogradKernel.stages(params, m, rows / chunks);
    }

    /** The schedule of the products ({@code winograd_product(points, K, tiles per chunk, C, …)}, a bmm with strided points). */
    @Override
    public Schedule apply(Config c) {
        WinogradConv.Stages st = stages(c);
        ComputeDecl product = Operators.winogradProduct(st.points(), params.k(), st.stride(), params.c(), st.vPoint(), st.mPoint());
        Templates.require(params.c() % c.get("tile_k") == 0, "tile_k " + c.get("tile_k") + " does not divide the " + params.c() + " channels");
        return Templates.tiledProduct(product, c.get("lanes"), c.get("tile_i"), c.get("tile_j"), c.get("tile_k"), c.get("unroll_k"),
                c.get("outer_order") == 1, false);
    }

    @Override
    public Kernel build(Config c, Schedule schedule) {
        return WinogradKernel.build(params, stages(c), schedule);
    }
}
