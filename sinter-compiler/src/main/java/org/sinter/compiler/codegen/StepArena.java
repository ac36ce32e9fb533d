package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Value;
import org.sinter.compiler.memory.LowestFit;
import org.sinter.ops.ViewOp;

/**
 * The executor's memory plan: every float32 intermediate a generated step writes (a fused group's
 * outputs, a GEMM's or convolution's epilogue results, a max pooling's values) gets an offset in
 * one arena, placed greedily by size over its lifetime in steps (TFLite's and ONNX Runtime's
 * greedy-by-size planner, at the granularity the program actually runs). Lifetimes follow views
 * to the memory they alias, and, conservatively, any output a dispatched op makes from an arena
 * value keeps that value alive as long as the output (an op might return its input's memory).
 * Graph results never live in the arena: they leave with the caller. Arenas are reused from run to
 * run (no allocation, no zeroing); each concurrent run takes its own.
 */
final class StepArena {
    /** Offsets are aligned to 64 bytes (a 512-bit vector). */
    private static final int ALIGN = 16;

    private final Map<Value, Integer> offsets;
    private final int size;
    private final ConcurrentLinkedQueue<Tensor> idle = new ConcurrentLinkedQueue<>();

    private StepArena(Map<Value, Integer> offsets, int size) {
        this.offsets = offsets;
        this.size = size;
    }

    /** Plans the arena of {@code steps} (in run order) of graph {@code g}. */
    static StepArena plan(Graph g, List<ProgramStep> steps) {
        int n = steps.size(), end = n;
        Map<Value, Value> owner = new IdentityHashMap<>();
        Map<Value, Integer> def = new IdentityHashMap<>(), last = new IdentityHashMap<>();
        List<Value> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ProgramStep s = steps.get(i);
            boolean view = s instanceof ProgramStep.NodeStep ns && ns.node().op() instanceof ViewOp;
            for (Value w : s.writes()) {
                owner.put(w, view ? ownerOf(owner, s.reads().getFirst()) : w);
                def.put(w, i);
                if (!view && generated(s) && w.dtype() == DType.FLOAT32 && numel(w) > 0) candidates.add(w);
            }
            for (Value r : s.reads()) last.merge(ownerOf(owner, r), i, Math::max);
        }
        for (Value r : g.results()) last.put(ownerOf(owner, r), end);
        // An op the engine runs may hand back its input's memory: keep such inputs alive as long as its outputs.
        for (int i = n - 1; i >= 0; i--) {
            ProgramStep s = steps.get(i);
            if (generated(s)) continue;
            int outLast = i;
            for (Value w : s.writes()) outLast = Math.max(outLast, last.getOrDefault(ownerOf(owner, w), i));
            for (Value r : s.reads()) last.merge(ownerOf(owner, r), outLast, Math::max);
        }

        candidates.removeIf(v -> last.getOrDefault(v, 0) >= end);
        candidates.sort(Comparator.comparingLong(StepArena::numel).reversed());
        List<LowestFit.Block> placed = new ArrayList<>();
        Map<Value, Integer> offsets = new IdentityHashMap<>();
        int size = 0;
        for (Value v : candidates) {
            int from = def.get(v), to = Math.max(from, last.getOrDefault(v, from)), length = (int) numel(v);
            int offset = Math.toIntExact(LowestFit.offset(length, from, to, placed, ALIGN));
            placed.add(new LowestFit.Block(from, to, offset, length));
            offsets.put(v, offset);
            size = Math.max(size, offset + length);
        }
        return new StepArena(offsets, size);
    }

    private static boolean generated(ProgramStep s) {
        // A device kernel's outputs live in device memory, not in this (host) arena.
        return !(s instanceof ProgramStep.NodeStep) && !(s instanceof ControlFlowStep) && !(s instanceof DeviceFusedStep);
    }

    private static Value ownerOf(Map<Value, Value> owner, Value v) {
        return owner.getOrDefault(v, v);
    }

    private static long numel(Value v) {
        long n = 1;
        for (int d : v.shape()) n *= d;
        return n;
    }

    /** The arena's size in bytes. */
    long bytes() {
        return 4L * size;
    }

    /** How many intermediates live in the arena. */
    int values() {
        return offsets.size();
    }

    /** An arena for one run (reused when a finished run returned one). */
    Tensor acquire() {
        Tensor a = idle.poll();
        return a != null ? a : Tensor.empty(DType.FLOAT32, Math.max(1, size));
    }

    void release(Tensor arena) {
        idle.add(arena);
    }

    /** The tensor for {@code v}: its slice of {@code arena} when planned there, else fresh memory. */
    Tensor allocate(Tensor arena, Value v) {
        Integer off = arena == null ? null : offsets.get(v);
        if (off == null) return Tensor.empty(v.dtype(), v.shape());
        return Tensor.viewOf(arena, v.shape(), Shape.contiguousStrides(v.shape()), off);
    }
}
