package org.sinter.autotune.apply;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.lower.BuiltKernel;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Expr.UnaryFn;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Workloads;
import org.sinter.compiler.codegen.TunedKernels;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.PackedConv;

/**
 * AutoTVM's {@code ApplyHistoryBest}: the compiler's {@link TunedKernels} from tuning logs. For
 * each convolution, and each product with a constant right operand, the compiler compiles, the
 * fastest logged configuration of its workload is built (through the compiler's kernel cache)
 * with the layer's filter or weight staged once; a workload with no successful record, or a
 * convolution the declarations do not cover (asymmetric stride, padding or dilation), gets null
 * and keeps the built-in kernel, and so does a workload whose log holds the built-in kernel's
 * baseline ({@link org.sinter.autotune.measure.BuiltinBaseline}, timed by the same protocol) at or
 * under the tuned best's time (or a side-by-side timing of the two says so: {@link #applied}). A linear layer's product {@code X·Wᵀ} is the tuner's
 * {@code dense(m,n,k,identity)} with a zero bias (the compiled graph's epilogue adds the real bias
 * and activation afterwards); a product with a constant {@code k x n} B is its {@code matmul(m,n,k)}.
 * <pre>
 *   try (var scope = TunedKernels.use(ApplyHistoryBest.load(Path.of("tune.jsonl")))) {
 *       program = Program.compile(graph);
 *   }
 * </pre>
 */
public final class ApplyHistoryBest implements TunedKernels {
    private final Map<String, TuningRecord> best;
    private final Map<String, TuningRecord> builtin;

    private final Map<String, TuningLog.SideBySide> sideBySide;

    /** The time of each workload's latest trial: a side-by-side timing older than it predates trials it did not see. */
    private final Map<String, Double> latestTrial = new java.util.HashMap<>();

    private ApplyHistoryBest(List<TuningRecord> all) {
        this.best = Map.copyOf(TuningLog.best(all));
        this.builtin = Map.copyOf(TuningLog.builtin(all));
        this.sideBySide = Map.copyOf(TuningLog.sideBySide(all));
        for (TuningRecord r : all) if (r.trial()) latestTrial.merge(r.workload(), r.timestamp(), Math::max);
    }

    public static ApplyHistoryBest load(Path... logs) {
        List<TuningRecord> all = new ArrayList<>();
        for (Path p : logs) for (TuningRecord r : TuningLog.read(p)) if (current(r)) all.add(r);
        return new ApplyHistoryBest(all);
    }

    /**
     * Whether {@code r} is a baseline, or a trial whose configuration is a point of its template's
     * space as this version defines it (a log may hold trials of an earlier space, such as the
     * Winograd template's {@code chunks} before its {@code rows}: those can no longer be built).
     */
    private static boolean current(TuningRecord r) {
        if (r.builtin()) return true;
        try {
            Templates.named(r.template(), Workloads.parse(r.workload())).space().of(r.config());
            return true;
        } catch (IllegalArgumentException otherVersion) {
            return false;
        }
    }

    /** The best record of each workload. */
    public Map<String, TuningRecord> best() {
        return best;
    }

    /**
     * The record the compiler applies for {@code workload}: its best trial, unless there is none or
     * the built-in is at least as fast (then null: the built-in kernel runs). Where the log's latest
     * side-by-side timing ({@link org.sinter.autotune.measure.BuiltinBaseline#sideBySide}: the best
     * of the finalists beside the built-in, both timed by one protocol at one moment) is newer than
     * every trial of the workload, that pair decides, and its configuration is the one applied;
     * else the best trial's cost against the latest baseline.
     */
    public TuningRecord applied(String workload) {
        TuningRecord r = best.get(workload), base = builtin.get(workload);
        if (r == null) return null;
        TuningLog.SideBySide pair = sideBySide.get(workload);
        if (pair != null && pair.tuned().timestamp() >= latestTrial.getOrDefault(workload, Double.NEGATIVE_INFINITY)) {
            return pair.tunedFaster() ? pair.tuned() : null;
        }
        if (base != null && TuningLog.median(base) <= TuningLog.median(r)) return null;
        return r;
    }

    /** The declaration of a convolution as the tuner names it, or null when none covers it. */
    public static ComputeDecl declFor(ConvGeometry g, int batch) {
        if (g.sh() != g.sw() || g.ph() != g.pw() || g.dh() != g.dw()) return null;
        ConvParams p;
        try {
            p = new ConvParams(batch, g.c(), g.h(), g.w(), g.k(), g.kh(), g.kw(), g.sh(), g.ph(), g.dh(), g.groups());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (p.outH() != g.oh() || p.outW() != g.ow()) return null; // asymmetric padding
        return g.groups() == g.c() && g.k() == g.c() ? Operators.depthwiseConv2d(p) : Operators.conv2d(p);
    }

    /** The declaration the tuner names a product {@code A[m,k] · op(B)} by (see the class comment). */
    public static ComputeDecl declFor(int m, int n, int k, boolean transB) {
        return transB ? Operators.dense(m, n, k, UnaryFn.IDENTITY) : Operators.matmul(m, n, k);
    }

    @Override
    public TunedMatmul matmul(int m, int n, int k, boolean transB, float[] b, int bOff, int ldb) {
        ComputeDecl d = declFor(m, n, k, transB);
        TuningRecord r = applied(d.workload());
        if (r == null) return null;
        Template t = Templates.of(d);
        BuiltKernel kernel = BuiltKernel.build(t.apply(t.space().of(r.config())));
        // B dense in the declaration's layout ([n, k] for dense, [k, n] for matmul), copied once.
        int rows = transB ? n : k, cols = transB ? k : n;
        float[] dense = new float[rows * cols];
        for (int i = 0; i < rows; i++) System.arraycopy(b, bOff + i * ldb, dense, i * cols, cols);
        List<float[]> inputs = transB ? Arrays.asList(null, dense, new float[n]) : Arrays.asList(null, dense);
        kernel.prepareConstants(inputs);
        int[] offsets = new int[inputs.size()];
        List<float[]> in = new ArrayList<>(inputs);
        return new TunedMatmul() {
            @Override
            public synchronized void run(float[] a, int aOff, float[] c, int cOff) {
                in.set(0, a);
                offsets[0] = aOff;
                kernel.run(in, offsets, c, cOff);
            }
        };
    }

    @Override
    public TunedConv conv2d(ConvGeometry g, int batch, float[] weight, int weightOff) {
        ComputeDecl d = declFor(g, batch);
        if (d == null) return null;
        TuningRecord r = applied(d.workload());
        if (r == null) return null;
        Template t = Templates.named(r.template(), d); // the direct template or Winograd's, as the record says
        Config c = t.space().of(r.config());
        Kernel k = t.build(c, t.apply(c));
        int wSize = d.inputs().get(1).size();
        float[] w = weightOff == 0 && weight.length == wSize ? weight : Arrays.copyOfRange(weight, weightOff, weightOff + wSize);
        k.prepareConstants(Arrays.asList(null, w, null));
        // A single generated nest can tell the epilogue of each finished block; Winograd's stages cannot (yet).
        BuiltKernel nest = k instanceof BuiltKernel b ? b : null;
        OutputBlocks blocks = nest == null ? null : OutputBlocks.of(nest.program().loops().getFirst(), g);
        return new TunedConv() {
            @Override
            public synchronized void run(float[] x, int xOff, float[] bias, int biasOff, float[] y, int yOff) {
                k.run(Arrays.asList(x, w, bias), new int[] {xOff, 0, biasOff}, y, yOff);
            }

            @Override
            public synchronized void run(float[] x, int xOff, float[] bias, int biasOff, float[] y, int yOff, int n, ConvGeometry geometry,
                                         PackedConv.BlockDone done) {
                if (blocks == null) TunedConv.super.run(x, xOff, bias, biasOff, y, yOff, n, geometry, done);
                else nest.run(Arrays.asList(x, w, bias), new int[] {xOff, 0, biasOff}, y, yOff, i -> blocks.tell(i, done));
            }
        };
    }
}
