package org.sinter.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * What the benchmarks that run Sinter beside ONNX Runtime share: the session both configure the
 * same way, the input handed to it, and the timing protocol (warm-up, then a median).
 */
final class OrtSideBySide {
    private OrtSideBySide() {}

    /**
     * Seconds each side runs untimed before its timed calls in every round after the first. ONNX
     * Runtime's pool keeps a core spinning for about 30 ms after {@code run} returns (its
     * {@code allow_spinning} default; Sinter's workers spin 200 µs), so without this Sinter's first
     * calls of a round shared the two cores with that thread (docs/benchmarks.md, "The GPT at batch 1:
     * the bench's rounds and LayerNorm rows on both threads"). Both sides get the same warm-up; 0
     * restores the old protocol.
     */
    static final double ROUND_WARMUP_SECONDS = 0.25;

    /** Session options matching Sinter's run: {@code threads} intra-op threads, sequential, all graph optimisations. */
    static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return so;
    }

    /** The same values for ONNX Runtime: float32 images or int64 token ids. */
    static OnnxTensor ortTensor(OrtEnvironment env, Tensor x) throws OrtException {
        long[] shape = Arrays.stream(x.shape()).asLongStream().toArray();
        return x.isFloatingPoint() ? OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape)
                : OnnxTensor.createTensor(env, LongBuffer.wrap(x.toLongArray()), shape);
    }

    /** One ONNX Runtime inference on input {@code x}, its output fetched. */
    static Runnable ortRun(OrtSession session, OnnxTensor input) {
        return () -> {
            try (OrtSession.Result out = session.run(Map.of("x", input))) {
                out.get(0);
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /**
     * Median milliseconds of {@code iters} runs, after warming for at least {@code warm} runs and
     * {@code warmSeconds}: the JIT needs a few seconds of calls before Sinter's kernels are compiled
     * (the latency settles after 2-4 s, see {@link CompiledWarmup}); timing before that measures
     * the JIT rather than the kernels.
     */
    static double median(Runnable run, int warm, double warmSeconds, int iters) {
        long warmEnd = System.nanoTime() + (long) (warmSeconds * 1e9);
        for (int i = 0; i < warm || System.nanoTime() < warmEnd; i++) run.run();
        double[] t = new double[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            run.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return iters % 2 == 1 ? t[iters / 2] : (t[iters / 2 - 1] + t[iters / 2]) / 2;
    }

    /** The median of column {@code k} over rounds. */
    static double medianOf(List<double[]> rows, int k) {
        double[] v = rows.stream().mapToDouble(r -> r[k]).sorted().toArray();
        return v[v.length / 2];
    }

    /** The median over rounds of column 0 / column 1. */
    static double medianOfRatios(List<double[]> rows) {
        return medianOfRatios(rows, 0, 1);
    }

    /** The median over rounds of column {@code num} / column {@code den}. */
    static double medianOfRatios(List<double[]> rows, int num, int den) {
        double[] v = rows.stream().mapToDouble(r -> r[num] / r[den]).sorted().toArray();
        return v[v.length / 2];
    }
}
