package org.sinter.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.UnaryKernels.UnaryFn;

/**
 * Every elementwise expression the backend can generate, and every kernel file, compiled with the
 * CUDA toolkit's nvcc where one is installed (no GPU needed): a typo in a rarely used expression
 * fails here, not on a GPU. Skipped without nvcc.
 */
class GeneratedKernelsCompileTest {
    private static Path nvcc() {
        for (String p : List.of("/usr/local/cuda/bin/nvcc", "/usr/bin/nvcc")) if (Files.isExecutable(Path.of(p))) return Path.of(p);
        return null;
    }

    private static void compile(Path source) throws Exception {
        Path nvcc = nvcc();
        Path out = Files.createTempFile("sinter", ".cubin");
        Process p = new ProcessBuilder(nvcc.toString(), "-std=c++17", "-arch=sm_80", "-cubin", "-o", out.toString(), source.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        p.waitFor(300, TimeUnit.SECONDS);
        Files.deleteIfExists(out);
        assertEquals(0, p.exitValue(), source + " does not compile:\n" + log);
    }

    @Test
    void everyGeneratedExpressionCompiles() throws Exception {
        assumeTrue(nvcc() != null, "no nvcc here");
        List<String> bodies = new ArrayList<>();
        for (DType ct : List.of(DType.FLOAT32, DType.FLOAT64)) {
            String c = Pointwise.computeType(ct);
            for (UnaryFn fn : UnaryFn.values()) bodies.add(unit(c, ct, new DType[] {ct}, PointwiseOps.floatingUnary(fn)));
            for (BinaryFn fn : BinaryFn.values()) bodies.add(unit(c, ct, new DType[] {ct, DType.FLOAT16}, PointwiseOps.floatingBinary(fn)));
        }
        for (String e : List.of("-a", "(a < 0 ? -a : a)", "(T) ((a > 0) - (a < 0))", "(T) fmin(fmax((double) a, p0), p1)",
                "(T) (p0 * (double) a + p1)", "sx_maximum(a, b)", "a + ((T) (b * (T) (long long) p0))")) {
            bodies.add(unit("long long", DType.INT32, new DType[] {DType.INT32, DType.INT64}, e));
        }
        for (DType in : DType.values()) {
            for (DType out : DType.values()) bodies.add(unit(Pointwise.computeType(in), out, new DType[] {in}, "a"));
        }
        bodies.add(unit("float", DType.BOOL, new DType[] {DType.BFLOAT16, DType.FLOAT32}, "a <= b"));
        bodies.add(unit("float", DType.BOOL, new DType[] {DType.FLOAT32}, "isfinite(a)"));
        StringBuilder all = new StringBuilder(Pointwise.PRELUDE);
        for (int i = 0; i < bodies.size(); i++) {
            all.append("namespace k").append(i).append(" {\n")
                    .append(bodies.get(i).replace("sx_dense(", "sx_dense_" + i + "(").replace("sx_strided(", "sx_strided_" + i + "("))
                    .append("}\n");
        }
        Path f = Files.createTempFile("sinter-pointwise", ".cu");
        Files.writeString(f, all);
        compile(f);
        Files.delete(f);
    }

    /** One generated source without the prelude: inputs of the given dtypes loaded as T. */
    private static String unit(String c, DType out, DType[] ins, String expr) {
        StringBuilder sig = new StringBuilder();
        String[] loads = new String[ins.length];
        for (int i = 0; i < ins.length; i++) {
            sig.append(", const ").append(Pointwise.storageType(ins[i])).append("* __restrict__ x").append(i);
            loads[i] = Pointwise.load(ins[i], c, "x" + i + "[OFF" + (i + 1) + "]");
        }
        return Pointwise.source(c, out, sig.toString(), loads, expr, ins.length + 1).substring(Pointwise.PRELUDE.length());
    }

    @Test
    void everyKernelFileCompiles() throws Exception {
        assumeTrue(nvcc() != null, "no nvcc here");
        for (String file : List.of("sgemm.cu", "conv.cu", "pool.cu", "softmax.cu", "reduce.cu", "optim.cu", "lab3_linear.cu", "splitk.cu", "random.cu", "index.cu")) {
            Path f = Files.createTempFile("sinter-" + file.replace(".cu", ""), ".cu");
            Files.writeString(f, KernelCache.readResource(file));
            compile(f);
            Files.delete(f);
        }
    }
}
