package org.sinter.autotune.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sinter.autotune.lower.BuiltKernel;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Reference;

/**
 * Builds and runs candidates on this machine (AutoTVM's LocalBuilder + LocalRunner): the build
 * (lowering, code generation, javac) and the run each under a timeout on a worker thread; then a
 * correctness check of the first output against the reference kernel, JIT warm-up (until the
 * calls stop getting faster), and
 * {@code repeats} timings of {@code number} calls each (AutoTVM's number/repeat), sized so a
 * repeat lasts at least {@code minRepeatSeconds}. A candidate that throws, hangs or computes the
 * wrong values is recorded as an error and the tuning goes on. A worker that times out is
 * abandoned (a Java thread cannot be killed) and a fresh one takes over.
 */
public final class Measurer implements AutoCloseable {
    /** Measurement settings; {@link #defaults()} suits kernels of a few milliseconds. */
    public record Options(double buildTimeoutSeconds, double runTimeoutSeconds, int warmupCalls, double warmupSeconds, int repeats,
                          double minRepeatSeconds, double tolerance) {
        public static Options defaults() {
            return new Options(60, 30, 3, 0.3, 5, 0.02, 1e-4);
        }

        public Options quick() {
            return new Options(buildTimeoutSeconds, runTimeoutSeconds, 2, 0.1, 3, 0.002, tolerance);
        }
    }

    private final ComputeDecl decl;
    private final List<float[]> inputs;
    private final float[] expected;
    private final Options options;
    private ExecutorService worker = newWorker();

    /** Measures candidates of {@code decl} on {@code inputs}; the reference output is computed here, once. */
    public Measurer(ComputeDecl decl, List<float[]> inputs, Options options) {
        this.decl = decl;
        this.inputs = inputs;
        this.options = options;
        this.expected = Reference.run(decl, inputs);
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sinter-autotune-measure");
            t.setDaemon(true);
            return t;
        });
    }

    /** Per configuration, its share of the last {@link #prebuild}'s javac run (seconds), added to its build time once. */
    private final java.util.Map<Config, Double> prebuiltShare = new java.util.HashMap<>();

    /**
     * Compiles the kernels of a batch of candidates in one javac run (under the build timeout
     * times the batch size), so that each {@link #measure} of them finds its kernel loaded; each
     * is charged an equal share of the run in its build time. If the batch does not compile (or
     * times out), nothing is charged and each candidate builds, and reports its error, alone.
     */
    public void prebuild(Template template, List<Config> configs) {
        List<Schedule> schedules = new ArrayList<>();
        List<Config> applied = new ArrayList<>();
        for (Config c : configs) {
            try {
                schedules.add(template.apply(c));
                applied.add(c);
            } catch (IllegalArgumentException invalid) {
                // measure() records it
            }
        }
        if (schedules.size() < 2) return;
        long t0 = System.nanoTime();
        try {
            call(() -> {
                BuiltKernel.compileAll(schedules);
                return null;
            }, options.buildTimeoutSeconds() * schedules.size(), "batch build");
        } catch (Failure f) {
            return;
        }
        double share = seconds(t0) / schedules.size();
        for (Config c : applied) prebuiltShare.put(c, share);
    }

    public MeasureResult measure(Template template, Config config) {
        long t0 = System.nanoTime() - (long) (prebuiltShare.getOrDefault(config, 0.0) * 1e9);
        prebuiltShare.remove(config);
        Schedule schedule;
        try {
            schedule = template.apply(config);
        } catch (IllegalArgumentException e) {
            return MeasureResult.error(e.getMessage(), 0);
        }
        Kernel kernel;
        try {
            kernel = call(() -> template.build(config, schedule), options.buildTimeoutSeconds(), "build");
        } catch (Failure f) {
            return MeasureResult.error(f.getMessage(), seconds(t0));
        }
        double build = seconds(t0);
        try {
            double tolerance = Math.min(options.tolerance(), template.tolerance(config));
            List<Double> costs = call(() -> time(kernel, tolerance), options.runTimeoutSeconds(), "run");
            return new MeasureResult(costs, null, build);
        } catch (Failure f) {
            return MeasureResult.error(f.getMessage(), build);
        }
    }

    /**
     * Times Sinter's own kernel for this declaration under the same protocol as a candidate (the
     * correctness check against the reference, warm-up, repeats, the run timeout), so the tuner
     * can log the built-in's cost beside the candidates' ({@link BuiltinBaseline}).
     * {@code check} runs it once and writes the whole output into the array it is given; {@code run}
     * runs it as it runs in a model (its output left where the kernel puts it: copying it out would
     * charge the built-in a pass the candidates do not pay).
     */
    public MeasureResult measureBuiltin(java.util.function.Consumer<float[]> check, Runnable run) {
        try {
            return new MeasureResult(call(() -> time(check, run, options.tolerance()), options.runTimeoutSeconds(), "run"), null, 0);
        } catch (Failure f) {
            return MeasureResult.error(f.getMessage(), 0);
        }
    }

    private List<Double> time(Kernel k, double tolerance) {
        k.prepareConstants(inputs);
        int[] offsets = new int[inputs.size()];
        float[] out = new float[decl.outSize()];
        return time(o -> k.run(inputs, offsets, o, 0), () -> k.run(inputs, offsets, out, 0), tolerance);
    }

    private List<Double> time(java.util.function.Consumer<float[]> check, Runnable run, double tolerance) {
        float[] out = new float[decl.outSize()];
        check.accept(out);
        double err = maxRelativeError(out, expected);
        if (!(err <= tolerance)) {
            throw new IllegalStateException("wrong result: max error " + err + " relative to the largest output (tolerance " + tolerance + ")");
        }
        // JIT warm-up: a fresh kernel class starts in the interpreter, where Vector API code is
        // hundreds of times slower, and C2 compiles it in the background. Call it for at least
        // warmupCalls and warmupSeconds, and on while the last call is over twice the fastest
        // (still compiling), within the run timeout.
        long start = System.nanoTime();
        double fastest = Double.POSITIVE_INFINITY, last = Double.POSITIVE_INFINITY;
        for (int i = 0; i < options.warmupCalls() || (System.nanoTime() - start) / 1e9 < options.warmupSeconds() || last > 2 * fastest; i++) {
            if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("interrupted during warm-up");
            long c = System.nanoTime();
            run.run();
            last = (System.nanoTime() - c) / 1e9;
            fastest = Math.min(fastest, last);
        }
        double single = Math.max(1e-7, fastest);
        int number = (int) Math.max(1, Math.min(10_000, Math.ceil(options.minRepeatSeconds() / single)));
        List<Double> costs = new ArrayList<>();
        for (int r = 0; r < options.repeats(); r++) {
            long t = System.nanoTime();
            for (int i = 0; i < number; i++) run.run();
            costs.add((System.nanoTime() - t) / 1e9 / number);
        }
        return costs;
    }

    /** The largest absolute difference over the largest magnitude of {@code want} (NaN when a value is NaN). */
    public static double maxRelativeError(float[] got, float[] want) {
        double scale = 1e-6, err = 0;
        for (float w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs((double) got[i] - want[i]);
            if (Double.isNaN(d)) return Double.NaN;
            err = Math.max(err, d);
        }
        return err / scale;
    }

    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String m) {
            super(m);
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> task, double timeout, String what) throws Failure {
        Future<T> f = worker.submit(task);
        try {
            return f.get((long) (timeout * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            throw new Failure(what + " timed out after " + timeout + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new Failure(what + " failed: " + c.getClass().getSimpleName() + ": " + firstLine(c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(what + " interrupted");
        }
    }

    private static String firstLine(String m) {
        if (m == null) return "";
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, Math.min(m.length(), 2000)).replace('\n', ' ');
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
