package org.sinter.autotune.lower;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.sinter.autotune.schedule.Loop;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.compiler.codegen.FusedKernel;
import org.sinter.compiler.codegen.KernelCompiler;
import org.sinter.kernels.Parallel;

/**
 * A schedule built into a runnable kernel: lowered, written as Java, compiled and loaded by the
 * compiler's {@link KernelCompiler} (so tuned kernels share its in-memory and on-disk cache), with
 * its inputs' staging. Constant inputs (weights) are staged once by {@link #prepareConstants};
 * the others on every {@link #run}, which counts in its time. Not for concurrent use (one staging
 * scratch per input).
 */
public final class BuiltKernel implements Kernel {
    private final LoopProgram program;
    private final String source;
    private final FusedKernel kernel;
    private final Staging[] staging;
    private final float[][] staged;
    private final boolean[] constantReady;

    private BuiltKernel(LoopProgram program, String source, FusedKernel kernel) {
        this.program = program;
        this.source = source;
        this.kernel = kernel;
        int n = program.buffers().size();
        staging = new Staging[n];
        staged = new float[n][];
        constantReady = new boolean[n];
        for (int i = 0; i < n; i++) {
            StagedBuffer b = program.buffers().get(i);
            if (!b.identity()) {
                staging[i] = new Staging(b);
                staged[i] = new float[b.size()];
            }
        }
    }

    /** Lowers, writes, compiles (or finds cached) and loads the kernel of {@code s}. */
    public static BuiltKernel build(Schedule s) {
        LoopProgram p = Lowering.lower(s);
        String name = KernelCompiler.className(JavaEmitter.write("KERNEL", p));
        String source = JavaEmitter.write(name, p);
        Map<String, FusedKernel> loaded = KernelCompiler.load(Map.of(name, source));
        return new BuiltKernel(p, source, loaded.get(name));
    }

    /**
     * Compiles the kernels of {@code schedules} in one javac run into the compiler's cache, so
     * that their {@link #build} calls afterwards find them loaded: javac's start (the class path,
     * the Vector API module's symbols) costs more than a kernel's own source, and it is paid once
     * for the batch instead of once per candidate. Schedules that fail to lower are skipped (their
     * own build reports the error). Throws if javac rejects the batch; nothing is loaded then.
     */
    public static void compileAll(List<Schedule> schedules) {
        Map<String, String> sources = new java.util.LinkedHashMap<>();
        for (Schedule s : schedules) {
            LoopProgram p;
            try {
                p = Lowering.lower(s);
            } catch (IllegalArgumentException e) {
                continue;
            }
            String name = KernelCompiler.className(JavaEmitter.write("KERNEL", p));
            sources.put(name, JavaEmitter.write(name, p));
        }
        if (!sources.isEmpty()) KernelCompiler.load(sources);
    }

    public LoopProgram program() { return program; }

    public String source() { return source; }

    /** Stages the constant inputs (weights) ahead of the calls, as a compiled model does once. */
    @Override
    public void prepareConstants(List<float[]> inputs) {
        for (int i = 0; i < staging.length; i++) {
            if (staging[i] != null && program.buffers().get(i).source().constant()) {
                staging[i].copy(inputs.get(i), 0, staged[i]);
                constantReady[i] = true;
            }
        }
    }

    /** Computes the output into {@code out} (at {@code outOff}) from the inputs (dense, in the declaration's order). */
    @Override
    public void run(List<float[]> inputs, int[] inputOffsets, float[] out, int outOff) {
        run(inputs, inputOffsets, out, outOff, null);
    }

    /**
     * As {@link #run(List, int[], float[], int)}, and when {@code done} is not null it is told the
     * index of each iteration of the outermost loop as that iteration finishes, on the thread that
     * ran it (a compiled model runs a convolution's epilogue on that part of the output then).
     */
    public void run(List<float[]> inputs, int[] inputOffsets, float[] out, int outOff, IntConsumer done) {
        float[][] in = stage(inputs, inputOffsets);
        int[] off = offsets(inputOffsets);
        float[][] outs = {out};
        int[] outOffs = {outOff};
        Loop first = program.loops().getFirst();
        Parallel.RangeBody body = done == null ? (s, e) -> kernel.run(in, off, outs, outOffs, null, null, null, s, e) : (s, e) -> {
            for (int i = s; i < e; i++) {
                kernel.run(in, off, outs, outOffs, null, null, null, i, i + 1);
                done.accept(i);
            }
        };
        if (first.kind() == Loop.Kind.PARALLEL && Parallel.numThreads() > 1) Parallel.forRange(first.extent(), 1, body);
        else body.run(0, first.extent());
    }

    /**
     * Iterations {@code [from, to)} of the outermost loop, on the calling thread, with no staging of
     * the inputs: for a caller that splits the loop over threads itself and runs more work on the
     * same thread after each share (the Winograd kernel's output transform of its output-channel
     * blocks). Every staged input must be a constant already prepared ({@link #prepareConstants}).
     */
    public void runRange(List<float[]> inputs, int[] inputOffsets, float[] out, int outOff, int from, int to) {
        for (int i = 0; i < staging.length; i++) {
            if (staging[i] != null && !constantReady[i]) throw new IllegalStateException("autotune: runRange needs input " + i + " of " + program.decl().workload() + " prepared");
        }
        kernel.run(stage(inputs, inputOffsets), offsets(inputOffsets), new float[][] {out}, new int[] {outOff}, null, null, null, from, to);
    }

    /** Extent of the outermost loop (the range {@link #runRange} takes). */
    public int outerExtent() { return program.loops().getFirst().extent(); }

    /** Each input as the kernel reads it: in place, or staged (constants once, the others now). */
    private float[][] stage(List<float[]> inputs, int[] inputOffsets) {
        int n = staging.length;
        float[][] in = new float[n][];
        for (int i = 0; i < n; i++) {
            if (staging[i] == null) {
                in[i] = inputs.get(i);
            } else {
                if (!constantReady[i]) staging[i].copy(inputs.get(i), inputOffsets[i], staged[i]);
                in[i] = staged[i];
            }
        }
        return in;
    }

    /** The kernel's offset into each input: the caller's for one read in place, 0 for a staged one. */
    private int[] offsets(int[] inputOffsets) {
        int[] off = new int[staging.length];
        for (int i = 0; i < off.length; i++) if (staging[i] == null) off[i] = inputOffsets[i];
        return off;
    }

    public float[] run(List<float[]> inputs) {
        float[] out = new float[program.decl().outSize()];
        run(inputs, new int[inputs.size()], out, 0);
        return out;
    }
}
