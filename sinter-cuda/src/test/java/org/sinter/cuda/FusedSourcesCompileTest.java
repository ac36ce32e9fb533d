package org.sinter.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.DeviceCodegen;
import org.sinter.compiler.codegen.FusionGroup;
import org.sinter.compiler.codegen.FusionPlanner;
import org.sinter.compiler.ir.Graph;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.kernels.VectorFns;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;

/**
 * The CUDA C that the compiler's CUDA code generator writes for fusion groups (every fusible unary
 * function, broadcasts, several outputs, softmax and log-softmax row tails), in both layouts of
 * their inputs, compiled with the toolkit's nvcc where one is installed (no GPU needed).
 */
class FusedSourcesCompileTest {
    private static Graph trace(Function<Tensor[], Tensor[]> fn, int[]... shapes) {
        List<TensorSpec> specs = java.util.Arrays.stream(shapes).map(s -> new TensorSpec(s, DType.FLOAT32)).toList();
        return Tracer.trace(fn, specs, Map.of());
    }

    private static List<FusionGroup> groups() {
        List<Graph> graphs = new ArrayList<>();
        for (UnaryFn fn : VectorFns.SUPPORTED) {
            graphs.add(trace(in -> new Tensor[] {Dispatch.apply1(new UnaryOps.Unary(fn, 0.5, 2.0), in[0].mul(0.75)).add(1.0)}, new int[] {4, 5}));
        }
        // A bias broadcast over rows, GELU, a residual; two results (one read later, one returned).
        graphs.add(trace(in -> {
            Tensor h = in[0].add(in[1]).gelu();
            Tensor r = h.add(in[0]).mul(0.5);
            return new Tensor[] {r, h.maximum(in[2]).minimum(r)};
        }, new int[] {8, 16}, new int[] {16}, new int[] {8, 1}));
        // Attention's prologue and softmax; and a log-softmax tail.
        graphs.add(trace(in -> new Tensor[] {in[0].mul(0.125).add(in[1]).softmax(-1)}, new int[] {2, 4, 8, 8}, new int[] {8, 8}));
        graphs.add(trace(in -> new Tensor[] {in[0].sub(in[1]).div(3.0).logSoftmax(-1)}, new int[] {6, 10}, new int[] {6, 1}));
        List<FusionGroup> out = new ArrayList<>();
        for (Graph g : graphs) out.addAll(FusionPlanner.plan(g).stream().filter(fg -> fg.nodes().size() >= 2).toList());
        return out;
    }

    @Test
    void theCompilerFindsTheCudaGenerator() {
        DeviceCodegen c = DeviceCodegen.forDevice(org.sinter.Device.cuda(0));
        assertNotNull(c, "sinter-cuda registers its code generator");
        assertTrue(c instanceof CudaFusionCodegen);
    }

    @Test
    void everyGeneratedFusedKernelCompiles() throws Exception {
        List<FusionGroup> groups = groups();
        assertTrue(groups.size() >= VectorFns.SUPPORTED.size() + 3, "groups planned: " + groups.size());
        assertTrue(groups.stream().anyMatch(g -> g.rowTail() != null), "a softmax row tail is among them");
        assertTrue(groups.stream().anyMatch(g -> g.outputs().size() > 1), "a group with two outputs is among them");
        Path nvcc = nvcc();
        assumeTrue(nvcc != null, "no nvcc here");
        StringBuilder all = new StringBuilder(Pointwise.PRELUDE);
        int unit = 0;
        for (FusionGroup g : groups) {
            CudaFusedKernel k = (CudaFusedKernel) new CudaFusionCodegen().compile(g);
            int n = g.inputs().size();
            // Every input at the index; every input through the geometry; the first one through it.
            for (String pattern : List.of("i".repeat(n), "g".repeat(n), "g" + "i".repeat(Math.max(0, n - 1)))) {
                if (pattern.length() != n) continue;
                String src = k.sourceFor(pattern);
                assertTrue(src.startsWith(Pointwise.PRELUDE));
                assertFalse(src.contains("null"), src);
                all.append("namespace u").append(unit).append(" {\n")
                        .append(src.substring(Pointwise.PRELUDE.length()).replace(k.name() + "(", k.name() + "_" + unit + "("))
                        .append("}\n");
                unit++;
            }
        }
        Path f = Files.createTempFile("sinter-fused", ".cu");
        Files.writeString(f, all);
        Path out = Files.createTempFile("sinter", ".cubin");
        Process p = new ProcessBuilder(nvcc.toString(), "-std=c++17", "-arch=sm_80", "-cubin", "-o", out.toString(), f.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        p.waitFor(300, TimeUnit.SECONDS);
        Files.deleteIfExists(out);
        assertEquals(0, p.exitValue(), "generated fused kernels do not compile:\n" + log);
        Files.delete(f);
    }

    private static Path nvcc() {
        for (String p : List.of("/usr/local/cuda/bin/nvcc", "/usr/bin/nvcc")) if (Files.isExecutable(Path.of(p))) return Path.of(p);
        return null;
    }
}
