package org.sinter.compiler.codegen;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.Im2Col;
import org.sinter.kernels.conv.OneChannelConv;
import org.sinter.kernels.conv.PackedConv;
import org.sinter.kernels.conv.WinogradConv;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.GemmEpilogue;
import org.sinter.kernels.gemm.PackedA;
import org.sinter.ops.NnOps;
import org.sinter.ops.UnaryOps;

/**
 * Runs a convolution {@link GemmGroup} for inference. A convolution of a one-channel input runs
 * {@link OneChannelConv}'s stencil (bias, and a ReLU that is the whole epilogue, in its registers);
 * a 3x3 stride-1 one with enough channels runs {@link WinogradConv} over a filter transformed once
 * (bias and a lone ReLU in its output transform); one with many output channels
 * that is not pointwise runs {@link PackedConv}'s direct kernel over a filter packed once; the
 * others pack the constant filter once as the GEMM's left operand, each sample's input is unfolded
 * (im2col; a pointwise convolution reads its input as is) and multiplied. In both, the epilogue adds the bias and runs the group's generated
 * elementwise kernel (folded batch norm, activation, residual add) on each finished block of the
 * sample's output while it is in cache. Samples run in parallel when each one's product is too
 * small to share or there are at least as many samples as threads (a whole sample per thread has
 * no synchronisation inside); otherwise the GEMM splits each sample's product. The sums run in GEMM order, so
 * results agree with eager convolution to rounding, not bit for bit.
 */
final class ConvStep implements ProgramStep {
    /** Below this many multiply-adds per sample, threads take whole samples (the GEMM's own threshold). */
    private static final long SAMPLE_PARALLEL_FMAS = 1L << 22;

    private final GemmGroup group;
    private final ConvGeometry geometry;
    private final FusedKernel kernel;
    private final GemmEpiloguePlanner.ConvNest nest;
    private final PackedA filter;
    /** The filter packed for the one-input-channel kernel, or null where another runs. */
    private final OneChannelConv.Filter oneChannel;
    /** Whether the epilogue is a lone ReLU of the product, which {@link #oneChannel} or {@link #winograd} applies as it stores. */
    private final boolean fusedRelu;
    /** The filter transformed for Winograd convolution, or null where another kernel runs. */
    private final WinogradConv.Filter winograd;
    /** The filter packed for the direct kernel, or null where im2col + GEMM runs. */
    private final PackedConv.Filter direct;
    /** The auto-tuner's kernel for this convolution (see {@link TunedKernels}), or null: the built-in one. */
    private final TunedKernels.TunedConv tuned;
    private final int tunedBatch;
    private final float[] zeroBias;

    ConvStep(Graph g, GemmGroup group, FusedKernel kernel, GemmEpiloguePlanner.ConvNest nest) {
        this.group = group;
        this.geometry = ((NnOps.Conv2d) group.producer().op()).g();
        this.kernel = kernel;
        this.nest = nest;
        Tensor w = g.parameter(group.producer().inputs().get(1)).tensor().contiguous();
        this.tunedBatch = group.producer().inputs().get(0).shape()[0];
        this.tuned = TunedKernels.current().conv2d(geometry, tunedBatch, w.storage().floats(), w.storageOffset());
        this.zeroBias = tuned == null ? null : new float[geometry.k()];
        this.oneChannel = tuned == null && OneChannelConv.applies(geometry) ? OneChannelConv.pack(geometry, w.storage().floats(), w.storageOffset()) : null;
        this.winograd = tuned == null && oneChannel == null && WinogradConv.preferred(geometry, tunedBatch, true)
                ? WinogradConv.pack(geometry, tunedBatch, w.storage().floats(), w.storageOffset()) : null;
        this.fusedRelu = (oneChannel != null || winograd != null) && loneRelu(group);
        this.direct = tuned == null && oneChannel == null && winograd == null && PackedConv.applies(geometry) && !stridedPointwise(geometry)
                ? PackedConv.pack(geometry, w.storage().floats(), w.storageOffset()) : null;
        this.filter = direct != null || oneChannel != null || winograd != null ? null : PackedA.pack(false, geometry.k(), geometry.patch(), w.storage().floats(), w.storageOffset(), geometry.patch());
    }

    /**
     * A 1x1 convolution with a stride (a ResNet shortcut) that runs im2col + GEMM: its im2col only
     * picks every s-th pixel, a copy of a quarter of the input, and the GEMM then runs at its speed.
     * From {@link #STRIDED_POINTWISE_MIN_CHANNELS} input channels the packed stride-2 tiles (AVX-512)
     * take the layer instead: ResNet-18's 64->128 at 56x56, batch 1, in the compiled model 0.13 ms
     * against 0.19-0.24 through the GEMM (2026-11-29, Intel; the 128-channel threshold before was
     * measured while the stride-2 kernel could be compiled with boxed vectors), 128->256 and 256->512
     * 0.85-1.0x the GEMM's time earlier.
     */
    static final int STRIDED_POINTWISE_MIN_CHANNELS = 64;

    private static boolean stridedPointwise(ConvGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.ph() == 0 && g.pw() == 0 && g.groups() == 1 && !g.pointwise()
                && !(PackedConv.stridedTiles(g) && g.c() >= STRIDED_POINTWISE_MIN_CHANNELS);
    }

    /** The epilogue is one ReLU of the product, writing the group's only output. */
    private static boolean loneRelu(GemmGroup group) {
        FusionGroup fg = group.epilogue();
        return fg != null && fg.nodes().size() == 1 && fg.outputs().size() == 1 && fg.inputs().equals(List.of(group.product()))
                && fg.nodes().getFirst().op() instanceof UnaryOps.Unary u && u.fn() == org.sinter.kernels.UnaryKernels.UnaryFn.RELU
                && Arrays.equals(fg.outputs().getFirst().shape(), group.product().shape());
    }

    /**
     * The kernel this step runs: "tuned", "one-channel" or "winograd" (with "+relu" when it applies the epilogue's ReLU),
     * "packed" ("packed-s2": its stride-2 tiles; "channels-last": {@link org.sinter.kernels.conv.ChannelsLastConv}) or "gemm".
     */
    String kernel() {
        String relu = fusedRelu ? "+relu" : "";
        return tuned != null ? "tuned" : oneChannel != null ? "one-channel" + relu : winograd != null ? "winograd" + relu
                : direct != null ? (direct.channelsLast() != null ? "channels-last" : direct.strided() != null ? "packed-s2" : "packed") : "gemm";
    }

    /** In a profiler's table, each convolution by output shape, kernel and geometry: {@code compiled.Conv [1, 64, 56, 56] winograd+relu 3x3/1 64->64}. */
    @Override
    public String label() {
        ConvGeometry g = geometry;
        return ProgramStep.super.label() + " " + kernel() + (group.epilogue() != null && !fusedRelu ? "+epilogue" : "") + " " + g.kh() + "x" + g.kw() + "/" + g.sh()
                + " " + g.c() + "->" + g.k();
    }

    @Override public List<Value> reads() { return group.reads(); }

    @Override public List<Value> writes() { return group.writes(); }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        ConvGeometry g = geometry;
        List<Value> in = group.producer().inputs();
        Tensor x = env.get(in.get(0));
        if (!x.isContiguous()) x = x.contiguous();
        Tensor bias = in.size() > 2 ? env.get(in.get(2)).contiguous() : null;
        int n = x.size(0), k = g.k(), plane = g.outPlane(), patch = g.patch(), inSample = g.c() * g.inPlane();
        FusionGroup fg = group.epilogue();
        List<Value> outs = fg == null ? List.of() : fg.outputs();
        boolean inPlace = outs.size() == 1 && Arrays.equals(outs.getFirst().shape(), group.product().shape());
        Tensor y = inPlace ? out.allocate(outs.getFirst()) : fg == null ? out.allocate(group.product()) : Tensor.empty(DType.FLOAT32, group.product().shape());
        boolean useTuned = tuned != null && x.size(0) == tunedBatch;
        // A tuned kernel and the direct ones add the bias themselves as they store; the epilogue then runs only the fused elementwise ops.
        Epilogue epi = new Epilogue(env, y, useTuned || oneChannel != null || winograd != null || direct != null ? null : bias, inPlace, out);
        if (fg == null) env.put(group.product(), y);
        float[] xs = x.storage().floats(), ys = y.storage().floats();
        int yOff = y.storageOffset();
        int xOff = x.storageOffset();
        float[] bs = bias == null ? null : bias.storage().floats();
        int bOff = bias == null ? 0 : bias.storageOffset();
        if (useTuned) {
            // The epilogue runs on each block the tuned kernel finishes, while it is in cache.
            float[] tb = bias == null ? zeroBias : bs;
            if (fg == null) tuned.run(xs, xOff, tb, bOff, ys, yOff);
            else tuned.run(xs, xOff, tb, bOff, ys, yOff, n, g, epi::apply);
            return;
        }
        if (oneChannel != null) {
            OneChannelConv.conv(g, n, xs, xOff, oneChannel, bs, bOff, fusedRelu, ys, yOff, fg == null || fusedRelu ? null : epi::apply);
            return;
        }
        if (winograd != null) {
            WinogradConv.conv(g, n, xs, xOff, winograd, bs, bOff, fusedRelu, ys, yOff, fg == null || fusedRelu ? null : epi::apply);
            return;
        }
        if (direct != null) {
            PackedConv.conv(g, n, xs, xOff, direct, bs, bOff, ys, yOff, fg == null ? null : epi::apply);
            return;
        }
        boolean pointwise = g.pointwise();
        Parallel.RangeBody samples = (s, e) -> {
            float[] cols = pointwise ? null : scratch(patch * plane);
            for (int i = s; i < e; i++) {
                int xi = xOff + i * inSample;
                if (!pointwise) {
                    // A lone sample unfolds its channels in parallel; sample-parallel workers each do their own.
                    if (e - s == 1 && n == 1) {
                        float[] c = cols;
                        Parallel.forRange(g.c(), 1, (c0, c1) -> Im2Col.im2col(g, xs, xi, c0, c1, c, 0, plane));
                    } else {
                        Im2Col.im2col(g, xs, xi, 0, g.c(), cols, 0, plane);
                    }
                }
                int sample = i;
                Gemm.sgemm(filter, false, plane, pointwise ? xs : cols, pointwise ? xi : 0, plane, ys, yOff + i * k * plane, plane,
                        (r0, nr, c0, nc) -> epi.apply(sample, r0, nr, c0, nc));
            }
        };
        if (n >= Parallel.numThreads() || n > 1 && (long) k * plane * patch < SAMPLE_PARALLEL_FMAS) Parallel.forRange(n, 1, samples);
        else samples.run(0, n);
    }

    /** Each thread's unfolded-input buffer, grown on demand and reused from call to call (im2col overwrites it). */
    private static final ThreadLocal<float[][]> COLS = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] scratch(int floats) {
        float[][] holder = COLS.get();
        if (holder[0].length < floats) holder[0] = new float[floats];
        return holder[0];
    }

    /** Bias, then the generated kernel, over one block of one sample's output. */
    private final class Epilogue {
        private final float[] bias, y;
        private final int biasOff, yOff;
        private final EpilogueOperands ops;

        Epilogue(Map<Value, Tensor> env, Tensor product, Tensor biasTensor, boolean inPlace, Outputs out) {
            y = product.storage().floats();
            yOff = product.storageOffset();
            bias = biasTensor == null ? null : biasTensor.storage().floats();
            biasOff = biasTensor == null ? 0 : biasTensor.storageOffset();
            ops = group.epilogue() == null ? null : EpilogueOperands.of(group.epilogue(), env, group.product(), product, inPlace, out);
        }

        void apply(int sample, int r0, int nr, int c0, int nc) {
            int plane = geometry.outPlane(), base = yOff + sample * geometry.k() * plane;
            if (bias != null) {
                for (int r = r0; r < r0 + nr; r++) {
                    float b = bias[biasOff + r];
                    int row = base + r * plane;
                    for (int j = row + c0; j < row + c0 + nc; j++) y[j] += b;
                }
            }
            if (ops == null) return;
            int[] ss = nest.sampleStrides(), shift = new int[ss.length];
            for (int i = 0; i < ss.length; i++) shift[i] = sample * ss[i];
            ops.run(kernel, nest.nest().strides(), geometry.k(), shift, r0, nr, c0, nc);
        }
    }
}
