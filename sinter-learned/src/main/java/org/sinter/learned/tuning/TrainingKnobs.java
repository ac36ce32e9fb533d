package org.sinter.learned.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.automl.space.SearchSpace;

/**
 * The knob set of a Sinter training step, as a search space, and the JVM command-line arguments a
 * setting becomes. These knobs are read once per JVM (system properties of the GEMM driver, the
 * garbage collector, the heap's young generation), so each trial runs in a fresh process:
 * <ul>
 *   <li>{@code threads}: intra-op threads ({@code Sinter.setNumThreads});
 *   <li>{@code gc}: the collector ({@code G1}, {@code Parallel}, {@code Serial}); training allocates
 *       a tensor per operator output, so the collector's per-allocation and pause costs show;
 *   <li>{@code young_mb}: the young generation's size ({@code -Xmn}; 0 leaves the ergonomics' choice);
 *   <li>{@code sgemm_kc}, {@code sgemm_mc}, {@code sgemm_nchunk}: the packed SGEMM's blocking
 *       ({@code sinter.sgemm.*} properties);
 *   <li>{@code conv_direct}: whether small convolutions use the direct kernel or im2col + GEMM;
 *   <li>{@code conv_packed}: whether many-channel convolutions (and their unit-stride input
 *       gradients) use the packed direct kernel ({@code PackedConv}) or im2col + GEMM.
 * </ul>
 * The defaults are what {@code java -jar sinter.jar} runs with on this machine.
 */
public final class TrainingKnobs {
    private TrainingKnobs() {}

    public static SearchSpace space(int maxThreads) {
        Integer[] threads = new Integer[Math.max(1, maxThreads)];
        for (int i = 0; i < threads.length; i++) threads[i] = i + 1;
        return SearchSpace.builder()
                .choice("threads", (Object[]) threads)
                .choice("gc", "G1", "Parallel", "Serial")
                .choice("young_mb", 0, 64, 256, 1024)
                .choice("sgemm_kc", 128, 256, 512, 1024)
                .choice("sgemm_mc", 64, 128, 256)
                .choice("sgemm_nchunk", 128, 256, 512)
                .choice("conv_direct", "auto", "off")
                .choice("conv_packed", "auto", "off")
                .build();
    }

    public static Map<String, Object> defaults(int maxThreads) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("threads", Math.max(1, maxThreads));
        d.put("gc", "G1");
        d.put("young_mb", 0);
        d.put("sgemm_kc", 512);
        d.put("sgemm_mc", 128);
        d.put("sgemm_nchunk", 256);
        d.put("conv_direct", "auto");
        d.put("conv_packed", "auto");
        return d;
    }

    /** The JVM options (before the main class) a setting stands for. */
    public static List<String> jvmOptions(Map<String, Object> knobs) {
        List<String> o = new ArrayList<>();
        String gc = text(knobs, "gc");
        switch (gc) {
            case "G1", "Parallel", "Serial" -> o.add("-XX:+Use" + gc + "GC");
            default -> throw new IllegalArgumentException("knob 'gc' must be G1, Parallel or Serial, got '" + gc + "'");
        }
        int young = number(knobs, "young_mb");
        if (young < 0) throw new IllegalArgumentException("knob 'young_mb' must be >= 0, got " + young);
        if (young > 0) o.add("-Xmn" + young + "m");
        o.add("-Dsinter.sgemm.kc=" + positive(knobs, "sgemm_kc"));
        o.add("-Dsinter.sgemm.mc=" + positive(knobs, "sgemm_mc"));
        o.add("-Dsinter.sgemm.nchunk=" + positive(knobs, "sgemm_nchunk"));
        String conv = text(knobs, "conv_direct");
        if (!conv.equals("auto") && !conv.equals("off")) throw new IllegalArgumentException("knob 'conv_direct' must be auto or off, got '" + conv + "'");
        o.add("-Dsinter.conv.direct=" + conv);
        String packed = text(knobs, "conv_packed");
        if (!packed.equals("auto") && !packed.equals("off")) throw new IllegalArgumentException("knob 'conv_packed' must be auto or off, got '" + packed + "'");
        o.add("-Dsinter.conv.packed=" + packed);
        return o;
    }

    public static int threads(Map<String, Object> knobs) {
        return positive(knobs, "threads");
    }

    private static int positive(Map<String, Object> knobs, String name) {
        int v = number(knobs, name);
        if (v < 1) throw new IllegalArgumentException("knob '" + name + "' must be >= 1, got " + v);
        return v;
    }

    private static int number(Map<String, Object> knobs, String name) {
        if (!(knobs.get(name) instanceof Number n)) throw new IllegalArgumentException("knob '" + name + "' must be a number, got " + knobs.get(name));
        return n.intValue();
    }

    private static String text(Map<String, Object> knobs, String name) {
        Object v = knobs.get(name);
        if (v == null) throw new IllegalArgumentException("the knob setting lacks '" + name + "'");
        return v.toString();
    }
}
