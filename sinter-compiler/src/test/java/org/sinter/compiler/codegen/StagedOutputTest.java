package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.kernels.Parallel;
import org.sinter.ops.TensorSpec;

/**
 * Groups that end in GELU (or erf) whose result is their only output, as a linear layer's bias add
 * and GELU in a GEMM epilogue: the kernel stores GELU's input into the output and runs the array
 * form there in place. The bits are eager's, for rows and flat chunks of awkward lengths, on one
 * thread and two.
 */
class StagedOutputTest {
    private final int threads = Parallel.numThreads();

    @AfterEach
    void restoreThreads() {
        Parallel.setNumThreads(threads);
    }

    private static Graph trace(Function<Tensor[], Tensor[]> f, int[]... shapes) {
        return Tracer.trace(f::apply, Arrays.stream(shapes).map(s -> new TensorSpec(s, DType.FLOAT32)).toList(), Map.of());
    }

    private static void sameAsEager(Graph g, Program p, int[]... shapes) {
        for (int t : new int[] {1, 2}) {
            Parallel.setNumThreads(t);
            Tensor[] in = Arrays.stream(shapes).map(s -> Tensor.randn(s).mul(3.0)).toArray(Tensor[]::new);
            Tensor[] want = Interpreter.run(g, in), got = p.run(in);
            for (int i = 0; i < want.length; i++) assertArrayEquals(want[i].toFloatArray(), got[i].toFloatArray(), "output " + i + " on " + t + " threads");
        }
    }

    @Test
    void aGemmEpilogueEndingInGeluWritesItsOutputInPlace() {
        Sinter.manualSeed(11);
        int[] x = {33, 40}, w = {40, 301}, b = {301};
        Graph g = trace(in -> new Tensor[] {in[0].matmul(in[1]).add(in[2]).gelu()}, x, w, b);
        Program p = Program.compile(g);
        assertTrue(p.gemmGroups().stream().anyMatch(gg -> gg.epilogue() != null && KernelWriter.stagedInOutput(gg.epilogue())), "GELU ends the epilogue");
        sameAsEager(g, p, x, w, b);
    }

    @Test
    void rowAndFlatGroupsEndingInGeluOrErf() {
        Sinter.manualSeed(12);
        int[] rows = {5, 37, 70}, bias = {70}, flat = {2500};
        Graph g = trace(in -> new Tensor[] {in[0].mul(in[1]).add(0.5).gelu()}, rows, bias);
        Program p = Program.compile(g);
        assertTrue(p.fusionGroups().stream().anyMatch(KernelWriter::stagedInOutput), "GELU ends the group");
        sameAsEager(g, p, rows, bias);
        Graph f = trace(in -> new Tensor[] {in[0].mul(2.0).sub(1.0).erf()}, flat);
        Program q = Program.compile(f);
        assertTrue(q.fusionGroups().stream().anyMatch(KernelWriter::stagedInOutput), "erf ends the flat group");
        sameAsEager(f, q, flat);
        // GELU last but another output too: staged in a row as before, same bits.
        Graph two = trace(in -> { Tensor a = in[0].mul(in[1]).add(0.5); return new Tensor[] {a.gelu(), a}; }, rows, bias);
        Program r = Program.compile(two);
        assertTrue(r.fusionGroups().stream().noneMatch(KernelWriter::stagedInOutput));
        sameAsEager(two, r, rows, bias);
    }
}
