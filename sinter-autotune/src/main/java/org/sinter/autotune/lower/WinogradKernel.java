package org.sinter.autotune.lower;

import java.util.List;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.WinogradConv;

/**
 * A Winograd convolution whose products are a generated kernel: sinter-core's input and output
 * transforms ({@link WinogradConv.Stages}) around the tuned batched product
 * {@code M[ξ] = U[ξ] · V[ξ]} ({@code bmm(points, K, stride, C)}: U the transformed filter, V a
 * chunk's transformed input), chunk by chunk; each transform is split over the pool by channel,
 * the product by its own schedule's parallel loop.
 */
public final class WinogradKernel implements Kernel {
    private final ConvParams p;
    private final WinogradConv.Stages stages;
    private final BuiltKernel product;
    private final int[] productOffsets = new int[2];
    private float[] u;

    private WinogradKernel(ConvParams p, WinogradConv.Stages stages, BuiltKernel product) {
        this.p = p;
        this.stages = stages;
        this.product = product;
    }

    /** The geometry of a 3x3 stride-1 "same"-style convolution in sinter-core's terms. */
    public static ConvGeometry geometry(ConvParams p) {
        return new ConvGeometry(p.c(), p.h(), p.w(), p.k(), p.outH(), p.outW(), p.r(), p.s(), p.stride(), p.stride(), p.pad(), p.pad(),
                p.dilation(), p.dilation(), p.groups());
    }

    /** The stages of F(m x m, 3 x 3) for {@code p} in chunks of {@code rowsPerChunk} tile rows. */
    public static WinogradConv.Stages stages(ConvParams p, int m, int rowsPerChunk) {
        return new WinogradConv.Stages(geometry(p), m, rowsPerChunk);
    }

    /** Builds the product's schedule (a {@code winograd_product} of the stages' points, strides and channels) between the stages. */
    public static WinogradKernel build(ConvParams p, WinogradConv.Stages stages, Schedule product) {
        var d = product.decl();
        if (!d.op().equals("winograd_product") || d.axis("b").extent() != stages.points() || d.axis("i").extent() != p.k()
                || d.axis("j").extent() != stages.stride() || d.axis("k").extent() != p.c() || d.input("V").size() != stages.points() * stages.vPoint()) {
            throw new IllegalArgumentException("Winograd kernel: product " + d.workload() + " does not fit " + stages.points() + " points, "
                    + p.k() + " x " + p.c() + " channels, " + stages.stride() + " tiles per chunk");
        }
        return new WinogradKernel(p, stages, BuiltKernel.build(product));
    }

    /** Transforms the filter (inputs: X, W, bias) once, as the compiler does at compile time. */
    @Override
    public void prepareConstants(List<float[]> inputs) {
        u = stages.filter(inputs.get(1), 0);
    }

    @Override
    public void run(List<float[]> inputs, int[] inputOffsets, float[] out, int outOff) {
        float[] uu = u != null ? u : stages.filter(inputs.get(1), inputOffsets[1]);
        int inPlanes = p.c() * p.h() * p.w(), outPlanes = p.k() * p.outH() * p.outW();
        for (int n = 0; n < p.n(); n++) {
            stages.begin(inputs.get(0), inputOffsets[0] + n * inPlanes, inputs.get(2), inputOffsets[2], false, out, outOff + n * outPlanes);
            for (int i = 0; i < stages.chunks(); i++) {
                float[] v = stages.chunk(i);
                Parallel.forRange(p.c(), 1, stages::input);
                product.run(List.of(uu, v), productOffsets, stages.products(), 0);
                Parallel.forRange(p.k(), 1, stages::output);
            }
        }
    }

    public BuiltKernel product() { return product; }
}
