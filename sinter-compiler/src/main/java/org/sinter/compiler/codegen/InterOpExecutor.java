package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Value;

/**
 * Runs a program's steps as a dependency graph on several threads (ONNX Runtime's parallel
 * executor, TensorFlow's inter-op pool): a step becomes ready when every step that writes a value
 * it reads has finished, and ready steps run in program order on whichever thread is free, the
 * caller included. Kernels inside a step still take the intra-op pool when no other step holds it
 * (otherwise they run on their own thread with the same partition, so the bits do not change).
 */
final class InterOpExecutor {
    private final List<ProgramStep> steps;
    /** For each step, the steps that read what it writes. */
    private final int[][] dependents;
    /** For each step, how many steps it waits for. */
    private final int[] waitsFor;

    InterOpExecutor(List<ProgramStep> steps) {
        this.steps = steps;
        Map<Value, Integer> writer = new IdentityHashMap<>();
        for (int i = 0; i < steps.size(); i++) for (Value v : steps.get(i).writes()) writer.put(v, i);
        List<List<Integer>> deps = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) deps.add(new ArrayList<>());
        waitsFor = new int[steps.size()];
        int barrier = -1;
        for (int i = 0; i < steps.size(); i++) {
            java.util.Set<Integer> producers = new java.util.HashSet<>();
            for (Value v : steps.get(i).reads()) {
                Integer w = writer.get(v);
                if (w != null && w != i) producers.add(w);
            }
            // A step that writes nothing acts by side effect (the optimizer update writes the parameters
            // in place): it waits for every step before it, and every step after it waits for it.
            if (steps.get(i).writes().isEmpty()) {
                for (int j = 0; j < i; j++) producers.add(j);
                barrier = i;
            } else if (barrier >= 0) {
                producers.add(barrier);
            }
            for (int p : producers) deps.get(p).add(i);
            waitsFor[i] = producers.size();
        }
        dependents = new int[steps.size()][];
        for (int i = 0; i < steps.size(); i++) dependents[i] = deps.get(i).stream().mapToInt(Integer::intValue).toArray();
    }

    /** The widest set of steps that can run at once, by levels of the dependency graph (for reports). */
    int maxWidth() {
        int[] level = new int[steps.size()];
        Map<Integer, Integer> width = new java.util.HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            width.merge(level[i], 1, Integer::sum);
            for (int d : dependents[i]) level[d] = Math.max(level[d], level[i] + 1);
        }
        return width.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static final Map<Integer, ExecutorService> POOLS = new java.util.concurrent.ConcurrentHashMap<>();

    private static ExecutorService pool(int helpers) {
        return POOLS.computeIfAbsent(helpers, n -> Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "sinter-interop");
            t.setDaemon(true);
            return t;
        }));
    }

    /** Runs every step on up to {@code threads} threads; {@code env} must be a concurrent map. */
    void run(Map<Value, Tensor> env, int threads) {
        int n = steps.size();
        if (n == 0) return;
        AtomicIntegerArray pending = new AtomicIntegerArray(waitsFor);
        ConcurrentSkipListSet<Integer> ready = new ConcurrentSkipListSet<>();
        for (int i = 0; i < n; i++) if (waitsFor[i] == 0) ready.add(i);
        AtomicInteger left = new AtomicInteger(n), helpersRunning = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Runnable work = () -> {
            int idle = 0;
            while (left.get() > 0 && error.get() == null) {
                Integer s = ready.pollFirst();
                if (s == null) {
                    // Another thread runs what this one waits for: spin briefly, then back off.
                    if (++idle < 1 << 10) Thread.onSpinWait();
                    else LockSupport.parkNanos(20_000);
                    continue;
                }
                idle = 0;
                try {
                    steps.get(s).run(env, ProgramStep.Outputs.FRESH);
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                    return;
                }
                for (int d : dependents[s]) if (pending.decrementAndGet(d) == 0) ready.add(d);
                left.decrementAndGet();
            }
        };
        ExecutorService pool = pool(threads - 1);
        for (int h = 0; h < threads - 1; h++) {
            pool.execute(() -> {
                // Counted only once started: a helper still queued behind another run's (or an
                // enclosing run's) helpers is not waited for; when it starts, the run is over and it leaves.
                helpersRunning.incrementAndGet();
                try {
                    if (!finished.get()) work.run();
                } finally {
                    helpersRunning.decrementAndGet();
                }
            });
        }
        work.run();
        finished.set(true);
        for (int spins = 0; helpersRunning.get() > 0; spins++) {
            if (spins < 1 << 10) Thread.onSpinWait();
            else LockSupport.parkNanos(20_000);
        }
        Throwable t = error.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }
}
