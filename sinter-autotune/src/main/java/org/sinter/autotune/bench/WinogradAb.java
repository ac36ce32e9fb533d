package org.sinter.autotune.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.measure.BuiltinBaseline;
import org.sinter.autotune.measure.SideBySide;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.space.WinogradTemplate;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.compiler.CompiledFunction;

/**
 * One configuration of the Winograd template beside the built-in convolution as a compiled model
 * runs it ({@code ConvStep}'s kernel), on one of ResNet-18's layers, timed in turn in one JVM
 * ({@link SideBySide#medianMs}): whether the template's point that matches the built-in's
 * schedule runs as fast as the built-in itself ({@link WinogradTemplate#builtinConfig} when no
 * configuration is given).
 *
 * On one thread the times are the calling thread's CPU time (robust to a loaded machine).
 *
 * With {@code direct}, the direct template's point that is the built-in stride-2 kernel's schedule
 * ({@code Templates.ConvTemplate#builtinConfig}) instead.
 *
 *   WinogradAb THREADS LAYER [knob=value,...|direct]      e.g. WinogradAb 2 C6 m=4,rows=4,tile_i=6; WinogradAb 2 C4 direct
 */
public final class WinogradAb {
    private WinogradAb() {}

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        String layer = args[1];
        Sinter.setNumThreads(threads);
        ConvParams p = ResNet18Convs.all().get(layer);
        if (p == null) throw new IllegalArgumentException("WinogradAb: no layer " + layer + " (C1-C12)");
        ComputeDecl d = Operators.conv2d(p);
        boolean direct = args.length > 2 && args[2].equals("direct");
        Template t = direct ? Templates.of(d) : new WinogradTemplate(d);
        Config c = direct ? t.seeds().stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("WinogradAb: the direct template has no built-in point for " + layer))
                : ((WinogradTemplate) t).builtinConfig(threads);
        if (args.length > 2 && !direct) {
            Map<String, Integer> values = new LinkedHashMap<>(c.values());
            for (String kv : args[2].split(",")) {
                String[] parts = kv.split("=");
                values.put(parts[0], Integer.parseInt(parts[1]));
            }
            c = t.space().of(values);
        }
        List<float[]> in = ConvTuneBench.inputs(d);
        Kernel k = build(t, c);
        k.prepareConstants(in);
        float[] out = new float[d.outSize()];
        int[] offs = new int[in.size()];
        CompiledFunction f = BuiltinBaseline.compileConv(p, in);
        Tensor x = BuiltinBaseline.input(p, in);
        k.run(in, offs, out, 0);
        float[] expected = f.call(x)[0].toFloatArray();
        double err = 0, scale = 0;
        for (int i = 0; i < out.length; i++) {
            err = Math.max(err, Math.abs(out[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        if (err > 1e-4 * scale) throw new IllegalStateException("WinogradAb: the template's output differs from the built-in's by " + err + " (largest " + scale + ")");
        Runnable a = () -> k.run(in, offs, out, 0), b = () -> f.call(x);
        // On one thread, the calling thread's CPU time is the kernel's work, whatever else the machine runs.
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] ms = threads == 1 ? SideBySide.medianMs(a, b, mx::getCurrentThreadCpuTime) : SideBySide.medianMs(a, b);
        System.out.printf(Locale.ROOT, "{\"layer\": \"%s\", \"threads\": %d, \"config\": \"%s\", \"template_ms\": %.4f, \"template_gflops\": %.1f, "
                        + "\"builtin_ms\": %.4f, \"builtin_gflops\": %.1f, \"template/builtin\": %.3f}%n",
                layer, threads, c.values(), ms[0], d.flops() / (ms[0] * 1e6), ms[1], d.flops() / (ms[1] * 1e6), ms[0] / ms[1]);
    }

    private static Kernel build(Template t, Config c) {
        return t.build(c, t.apply(c));
    }
}
