package org.sinter.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.sinter.Tensor;

/**
 * How long ONNX Runtime's intra-op pool keeps spinning after {@code run} returns: runs a model 50
 * times with the side-by-side benchmarks' session options ({@link OrtSideBySide#sessionOptions}), then
 * sleeps and prints the CPU time the process used while the caller slept (the JVM's own threads idle
 * meanwhile, so that is the pool). What {@link OrtSideBySide#ROUND_WARMUP_SECONDS} is sized against.
 * The process CPU clock ticks in 10 ms steps on Linux, so read the figures to that grain.
 *
 * <p>Usage: {@code OrtIdleSpin --onnx FILE [--threads 2] [--vocab 96] [--shape 1,64] [--reps 4]}
 * (a float32 N(0, 1) input when {@code --vocab} is 0, else int64 ids below it)
 */
public final class OrtIdleSpin {
    public static void main(String[] args) throws OrtException, InterruptedException {
        String file = null;
        int threads = 2, vocab = 96, reps = 4;
        int[] shape = {1, 64};
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--onnx" -> file = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--vocab" -> vocab = Integer.parseInt(args[i + 1]);
                case "--shape" -> shape = java.util.Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("OrtIdleSpin: unknown option " + args[i]);
            }
        }
        if (file == null) throw new IllegalArgumentException("OrtIdleSpin: --onnx FILE (bench/onnx_export.py writes them)");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Tensor x = vocab > 0 ? Tensor.randint(0, vocab, shape) : Tensor.randn(shape);
        try (OrtSession.SessionOptions so = OrtSideBySide.sessionOptions(threads);
             OrtSession session = env.createSession(file, so); OnnxTensor input = OrtSideBySide.ortTensor(env, x)) {
            Runnable run = OrtSideBySide.ortRun(session, input);
            for (int i = 0; i < 200; i++) run.run();
            for (int rep = 0; rep < reps; rep++) {
                for (int idleMs : new int[] {20, 100}) {
                    for (int i = 0; i < 50; i++) run.run();
                    long cpu = os.getProcessCpuTime(), wall = System.nanoTime();
                    Thread.sleep(idleMs);
                    System.out.printf(Locale.ROOT, "rep %d: %3d ms idle right after 50 runs: process CPU %5.1f ms over %5.1f ms%n",
                            rep, idleMs, (os.getProcessCpuTime() - cpu) / 1e6, (System.nanoTime() - wall) / 1e6);
                }
                long cpu = os.getProcessCpuTime();
                Thread.sleep(100);
                System.out.printf(Locale.ROOT, "rep %d: 100 ms idle after 100 ms idle:      process CPU %5.1f ms%n", rep, (os.getProcessCpuTime() - cpu) / 1e6);
            }
        }
    }
}
