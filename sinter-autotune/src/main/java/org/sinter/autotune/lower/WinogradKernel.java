package org.sinter.autotune.lower;

import java.util.Arrays;
import java.util.List;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.WinogradConv;

/**
 * A Winograd convolution whose products are a generated kernel: sinter-core's input and output
 * transforms ({@link WinogradConv.Stages}) around the tuned batched product
 * {@code M[ξ] = U[ξ] · V[ξ]} ({@code bmm(points, K padded, stride, C)}: U the transformed filter,
 * its output channels padded with zero rows to whole register tiles; V a chunk's transformed
 * input), chunk by chunk (a narrower last chunk has its own product kernel). Each input transform
 * is split over the pool by channel. Then either the product runs by its own schedule's parallel
 * loop and the output transform is split by channel ({@link Split#PRODUCT_LOOP}), or
 * ({@link Split#ROW_BLOCKS}, as the built-in {@link WinogradConv} shares a chunk) each thread takes
 * blocks of output channels through their products over every point and then through their output
 * transform, while their M is still in its cache. Or ({@link Split#WHOLE_CHUNKS}, the built-in's
 * mode where there are enough chunks) each thread takes whole chunks through every phase on its own
 * scratch.
 */
public final class WinogradKernel implements Kernel {
    /** How the threads share the work of a call (the template's {@code split} knob, in its order). */
    public enum Split { PRODUCT_LOOP, ROW_BLOCKS, WHOLE_CHUNKS }

    private final ConvParams p;
    private final WinogradConv.Stages stages;
    /** Each thread's own stages for {@link Split#WHOLE_CHUNKS}, following the call {@link #stages} begins. */
    private final ThreadLocal<WinogradConv.Stages> own;
    private final BuiltKernel product, lastProduct;
    private final Split split;
    private final boolean columnsOuter;
    /** Output channels per register tile of the product, and K padded to whole ones. */
    private final int tileRows, rows;
    private final int[] productOffsets = new int[2];
    /** U padded to the products' rows (the product kernels stage their packed copies of it). */
    private float[] u;
    private boolean prepared;

    private WinogradKernel(ConvParams p, int m, int rowsPerChunk, WinogradConv.Stages stages, BuiltKernel product, BuiltKernel lastProduct,
                           Split split, boolean columnsOuter, int tileRows) {
        this.p = p;
        this.stages = stages;
        this.own = ThreadLocal.withInitial(() -> stages(p, m, rowsPerChunk));
        this.product = product;
        this.lastProduct = lastProduct;
        this.split = split;
        this.columnsOuter = columnsOuter;
        this.tileRows = tileRows;
        this.rows = paddedRows(p.k(), tileRows);
    }

    /** The geometry of a 3x3 stride-1 "same"-style convolution in sinter-core's terms. */
    public static ConvGeometry geometry(ConvParams p) {
        return new ConvGeometry(p.c(), p.h(), p.w(), p.k(), p.outH(), p.outW(), p.r(), p.s(), p.stride(), p.stride(), p.pad(), p.pad(),
                p.dilation(), p.dilation(), p.groups());
    }

    /** The stages of F(m x m, 3 x 3) for {@code p} in chunks of {@code rowsPerChunk} tile rows (the last chunk may have fewer). */
    public static WinogradConv.Stages stages(ConvParams p, int m, int rowsPerChunk) {
        return new WinogradConv.Stages(geometry(p), m, rowsPerChunk);
    }

    /** {@code k} output channels rounded up to whole register tiles of {@code tileRows}. */
    public static int paddedRows(int k, int tileRows) {
        return Math.ceilDiv(k, tileRows) * tileRows;
    }

    /**
     * Builds the products' schedules (a {@code winograd_product} of the stages' points, strides and
     * channels for a whole chunk, and {@code last} for the last chunk, the same schedule where that
     * chunk is as wide) between the stages of F(m x m) in chunks of {@code rowsPerChunk} tile rows,
     * the threads sharing the work by {@code split}; {@link Split#ROW_BLOCKS} takes blocks of
     * {@code tileRows} output channels, and needs to know the products' fused parallel loop:
     * points, then blocks, then tile vectors, or ({@code columnsOuter}) points, tile vectors, blocks.
     */
    public static WinogradKernel build(ConvParams p, int m, int rowsPerChunk, Schedule whole, Schedule last, Split split,
                                       boolean columnsOuter, int tileRows) {
        WinogradConv.Stages stages = stages(p, m, rowsPerChunk);
        check(p, stages, whole, 0);
        check(p, stages, last, stages.chunks() - 1);
        if (whole.decl().axis("i").extent() != paddedRows(p.k(), tileRows)) {
            throw new IllegalArgumentException("Winograd kernel: product " + whole.decl().workload() + " is not " + p.k() + " channels padded to tiles of " + tileRows);
        }
        BuiltKernel first = BuiltKernel.build(whole);
        return new WinogradKernel(p, m, rowsPerChunk, stages, first, last == whole ? first : BuiltKernel.build(last), split, columnsOuter, tileRows);
    }

    private static void check(ConvParams p, WinogradConv.Stages stages, Schedule product, int chunk) {
        var d = product.decl();
        int k = d.axis("i").extent();
        if (!d.op().equals("winograd_product") || d.axis("b").extent() != stages.points() || k < p.k() || k > stages.mRows()
                || d.axis("j").extent() != stages.stride(chunk) || d.axis("k").extent() != p.c() || d.input("V").size() != stages.points() * stages.vPoint(chunk)) {
            throw new IllegalArgumentException("Winograd kernel: product " + d.workload() + " does not fit " + stages.points() + " points, "
                    + p.k() + " x " + p.c() + " channels, " + stages.stride(chunk) + " tiles in chunk " + chunk);
        }
    }

    /** Transforms the filter (inputs: X, W, bias) once and packs it for the products, as the compiler does at compile time. */
    @Override
    public void prepareConstants(List<float[]> inputs) {
        prepare(inputs.get(1), 0);
        prepared = true;
    }

    /** U of the weights at {@code w[off]}, padded to the products' rows and staged (packed) by both product kernels. */
    private void prepare(float[] w, int off) {
        float[] dense = stages.filter(w, off);
        int points = stages.points(), kc = p.k() * p.c();
        u = rows == p.k() ? dense : new float[points * rows * p.c()];
        if (u != dense) for (int xi = 0; xi < points; xi++) System.arraycopy(dense, xi * kc, u, xi * rows * p.c(), kc);
        List<float[]> in = Arrays.asList(u, null);
        product.prepareConstants(in);
        if (lastProduct != product) lastProduct.prepareConstants(in);
    }

    @Override
    public void run(List<float[]> inputs, int[] inputOffsets, float[] out, int outOff) {
        if (!prepared) prepare(inputs.get(1), inputOffsets[1]); // packed anew on every call, as an uncompiled call would
        int inPlanes = p.c() * p.h() * p.w(), outPlanes = p.k() * p.outH() * p.outW();
        for (int n = 0; n < p.n(); n++) {
            stages.begin(inputs.get(0), inputOffsets[0] + n * inPlanes, inputs.get(2), inputOffsets[2], false, out, outOff + n * outPlanes);
            if (split == Split.WHOLE_CHUNKS) {
                Parallel.forRange(stages.chunks(), 1, (s, e) -> {
                    WinogradConv.Stages mine = own.get();
                    mine.follow(stages);
                    for (int i = s; i < e; i++) {
                        BuiltKernel k = kernel(i);
                        List<float[]> operands = List.of(u, mine.chunk(i));
                        mine.input(0, p.c());
                        k.runRange(operands, productOffsets, mine.products(), 0, 0, k.outerExtent());
                        mine.output(0, p.k());
                    }
                });
                continue;
            }
            for (int i = 0; i < stages.chunks(); i++) {
                BuiltKernel k = kernel(i);
                List<float[]> operands = List.of(u, stages.chunk(i));
                float[] mm = stages.products();
                Parallel.forRange(p.c(), 1, stages::input);
                if (split == Split.ROW_BLOCKS) {
                    Parallel.forRange(rows / tileRows, 1, (s, e) -> {
                        runBlocks(k, operands, mm, s, e);
                        stages.output(s * tileRows, Math.min(p.k(), e * tileRows));
                    });
                } else {
                    k.run(operands, productOffsets, mm, 0);
                    Parallel.forRange(p.k(), 1, stages::output);
                }
            }
        }
    }

    /** The product kernel of chunk {@code i} (the last may be narrower). */
    private BuiltKernel kernel(int i) {
        return i == stages.chunks() - 1 ? lastProduct : product;
    }

    /**
     * The products of output-channel blocks {@code [b0, b1)} at every point and tile vector, on this
     * thread: one contiguous range of the fused parallel loop per point (blocks outside vectors) or
     * per point and tile vector (vectors outside blocks).
     */
    private void runBlocks(BuiltKernel k, List<float[]> operands, float[] mm, int b0, int b1) {
        int blocks = rows / tileRows, points = stages.points(), vectors = k.outerExtent() / (points * blocks);
        if (columnsOuter) {
            for (int pv = 0; pv < points * vectors; pv++) k.runRange(operands, productOffsets, mm, 0, pv * blocks + b0, pv * blocks + b1);
        } else {
            for (int pt = 0; pt < points; pt++) k.runRange(operands, productOffsets, mm, 0, (pt * blocks + b0) * vectors, (pt * blocks + b1) * vectors);
        }
    }

    public BuiltKernel product() { return product; }
}
