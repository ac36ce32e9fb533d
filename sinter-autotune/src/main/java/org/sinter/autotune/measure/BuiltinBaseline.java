package org.sinter.autotune.measure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.sinter.Tensor;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.codegen.TunedKernels;
import org.sinter.nn.functional.F;

/**
 * The built-in kernel's cost, logged beside the candidates': a tuned kernel is worth applying only
 * where it beats what the compiler would run without it (PyTorch-like systems keep their library
 * kernel unless the tuned one is faster; AutoTVM has no such library to fall back to). The
 * convolution is compiled as a model compiles it (frozen filter and bias, the compiler's own
 * choice of kernel: the one-channel stencil, the packed direct kernel, Winograd or im2col + GEMM)
 * and timed by the same {@link Measurer} protocol. Its record has template {@link TuningRecord#BUILTIN},
 * no configuration and explorer "baseline"; {@link TuningLog#best} ignores it and
 * {@link org.sinter.autotune.apply.ApplyHistoryBest} compares with it.
 */
public final class BuiltinBaseline {
    private BuiltinBaseline() {}

    /**
     * Measures the built-in convolution of {@code p} and appends its baseline to the log (each tuning
     * run measures it anew: the built-in kernels change between versions, and the latest baseline is
     * the one compared with); {@code inputs} are the measurer's (X, W, bias). Returns the record.
     */
    public static TuningRecord measureAndLog(TuningLog log, ComputeDecl d, ConvParams p, Measurer m, List<float[]> inputs) {
        MeasureResult r = measureConv(m, p, inputs);
        TuningRecord rec = new TuningRecord(d.workload(), TuningRecord.BUILTIN, Map.of(), r.costs(), r.error(), 0, r.gflops(d.flops()),
                System.currentTimeMillis() / 1000.0, "baseline", TuningLog.VERSIONS);
        log.append(rec);
        return rec;
    }

    /**
     * Times the compiled built-in convolution of {@code p} on {@code inputs} (X, W, bias) with {@code m}'s
     * protocol, twice, and keeps the faster. Why twice: the built-in kernels are shared classes, not a
     * fresh one per candidate, and the first workload to reach one of them (the first F(4×4) Winograd
     * layer, the first F(2×2) one) can be timed while C2 is still compiling its large methods — calls
     * uniformly slow, so the warm-up's "last call over twice the fastest" rule does not see it (ResNet-18's
     * C2 and C9 measured 20 and 17 GFLOP/s in one `sinter tune` run against 162 and 249 in a warm JVM,
     * 2026-11-29). On a shared machine other jobs only add time, so the faster median is the kernel's.
     */
    public static MeasureResult measureConv(Measurer m, ConvParams p, List<float[]> inputs) {
        Tensor x = input(p, inputs);
        CompiledFunction f = compileConv(p, inputs);
        Supplier<MeasureResult> once = () -> m.measureBuiltin(out -> {
            float[] y = f.call(x)[0].toFloatArray();
            System.arraycopy(y, 0, out, 0, out.length);
        }, () -> f.call(x));
        MeasureResult first = once.get();
        if (!first.ok()) return first;
        MeasureResult second = once.get();
        return second.ok() && second.median() < first.median() ? second : first;
    }

    /** How many of a workload's fastest trials (besides each template's seeds) {@link #sideBySide} re-times. */
    public static final int FINALISTS = 3;

    /**
     * Re-times the finalists of {@code d} in {@code records} (its {@link #FINALISTS} fastest trials by
     * their tuning cost, distinct configurations, and every template's seeds that were measured: the
     * built-in's own schedule where a template has it) each beside the built-in convolution, in turn
     * ({@link SideBySide}: one protocol for both, in this JVM as it now is), and appends the pair of
     * the finalist with the lowest ratio to the built-in as {@link TuningRecord#SIDE_BY_SIDE} records,
     * the tuned one first; {@link org.sinter.autotune.apply.ApplyHistoryBest} applies that finalist
     * only where the pair says it is the faster. Why not the trial's own cost against the baseline:
     * the two are timed at different moments by different warm-ups, and the built-in's speed in
     * particular depends on what the JVM compiled before it (see {@link SideBySide}). {@code inputs}
     * are (X, W, bias). Empty when {@code d} has no successful trial.
     */
    public static Optional<TuningLog.SideBySide> sideBySide(TuningLog log, ComputeDecl d, ConvParams p, List<TuningRecord> records,
                                                                     List<float[]> inputs) {
        List<TuningRecord> finalists = finalists(d, records);
        if (finalists.isEmpty()) return Optional.empty();
        CompiledFunction f = compileConv(p, inputs);
        Tensor x = input(p, inputs);
        List<List<Double>> bestSamples = null;
        TuningRecord bestRecord = null;
        double bestRatio = Double.POSITIVE_INFINITY;
        for (TuningRecord r : finalists) {
            Template t = Templates.named(r.template(), d);
            Config c = t.space().of(r.config());
            Kernel k = t.build(c, t.apply(c));
            k.prepareConstants(inputs);
            float[] out = new float[d.outSize()];
            int[] offsets = new int[inputs.size()];
            List<List<Double>> s = SideBySide.samples(() -> k.run(inputs, offsets, out, 0), () -> f.call(x));
            double ratio = SideBySide.median(s.get(0)) / SideBySide.median(s.get(1));
            if (ratio < bestRatio) {
                bestRatio = ratio;
                bestSamples = s;
                bestRecord = r;
            }
        }
        double now = System.currentTimeMillis() / 1000.0;
        TuningRecord tuned = new TuningRecord(d.workload(), bestRecord.template(), bestRecord.config(), bestSamples.get(0), null, 0,
                d.flops() / SideBySide.median(bestSamples.get(0)) / 1e9, now, TuningRecord.SIDE_BY_SIDE, TuningLog.VERSIONS);
        TuningRecord builtin = new TuningRecord(d.workload(), TuningRecord.BUILTIN, Map.of(), bestSamples.get(1), null, 0,
                d.flops() / SideBySide.median(bestSamples.get(1)) / 1e9, now, TuningRecord.SIDE_BY_SIDE, TuningLog.VERSIONS);
        log.append(tuned);
        log.append(builtin);
        return Optional.of(new TuningLog.SideBySide(tuned, builtin));
    }

    /** The trials {@link #sideBySide} re-times: the fastest distinct configurations, then the templates' seeds not among them. */
    static List<TuningRecord> finalists(ComputeDecl d, List<TuningRecord> records) {
        List<TuningRecord> trials = new ArrayList<>();
        for (TuningRecord r : records) if (r.ok() && r.trial() && r.workload().equals(d.workload())) trials.add(r);
        trials.sort(Comparator.comparingDouble(TuningLog::median));
        Set<String> seen = new HashSet<>();
        List<TuningRecord> out = new ArrayList<>();
        for (TuningRecord r : trials) if (out.size() < FINALISTS && seen.add(r.template() + r.config())) out.add(r);
        for (Template t : Templates.all(d)) {
            for (Config seed : t.seeds()) {
                for (TuningRecord r : trials) {
                    if (r.template().equals(t.name()) && r.config().equals(seed.values()) && seen.add(r.template() + r.config())) {
                        out.add(r);
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** X of {@code inputs} (X, W, bias) as the tensor the compiled convolution is called on. */
    public static Tensor input(ConvParams p, List<float[]> inputs) {
        return Tensor.of(inputs.get(0), p.n(), p.c(), p.h(), p.w());
    }

    /**
     * The convolution {@code p} with W and bias of {@code inputs} frozen, compiled as a model
     * compiles it without tuned kernels (its built-in kernel as {@code ConvStep} chooses it), and
     * lowered for X's shape.
     */
    public static CompiledFunction compileConv(ConvParams p, List<float[]> inputs) {
        Tensor w = Tensor.of(inputs.get(1), p.k(), p.c() / p.groups(), p.r(), p.s());
        Tensor b = Tensor.of(inputs.get(2), p.k());
        CompiledFunction f;
        // The baseline is the compiler without tuned kernels, whatever scope the caller is in.
        try (var _ = TunedKernels.use(TunedKernels.NONE)) {
            f = Compiler.compile(in -> new Tensor[] {F.conv2d(in[0], w, b, p.stride(), p.pad(), p.dilation(), p.groups())},
                    Map.of("weight", w, "bias", b), CompileOptions.defaults().withFrozenParameters());
            f.programFor(input(p, inputs)); // lowered here, in the scope, not on the measuring thread
        }
        return f;
    }
}
