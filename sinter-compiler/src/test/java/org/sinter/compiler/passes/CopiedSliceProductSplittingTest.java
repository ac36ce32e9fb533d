package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.nn.Linear;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.ViewOps;

/**
 * A packed in-projection (one linear layer of 3E outputs sliced into Q, K and V, as PyTorch exports
 * an attention) splits into three products where the heads' reshape would copy each slice, and
 * stays one product where the slices are views; results unchanged on random inputs, interpreted and
 * compiled.
 */
class CopiedSliceProductSplittingTest {
    private static final int E = 16, HEADS = 4, L = 6;

    private static List<Integer> projectionWidths(Graph g) {
        return g.nodes().stream().filter(n -> n.op() instanceof LinalgOps.Bmm && n.output().shape()[0] == 1).map(n -> n.output().shape()[2]).sorted().toList();
    }

    /** The frozen pipeline up to the splitting: the graph the pass sees. */
    private static PassManager withoutSplitting() {
        return new PassManager(List.of(new FreezeParameters(), new ConstantCaptures(), new ConstantFolding(true), new AlgebraicSimplification(),
                new ConvAffineFolding(), new ConstantFolding(true), new CommonSubexpressionElimination(), new SiblingProductMerging(),
                new DeadCodeElimination()));
    }

    private static long count(Graph g, Class<?> op) {
        return g.nodes().stream().map(Node::op).filter(op::isInstance).count();
    }

    /** Q, K and V sliced off one packed projection of {@code x} [L, B, E], each reshaped to the heads' [L, B·H, D] and transposed. */
    private static Function<Tensor[], Tensor[]> packedAttentionInputs(Linear inProj, int batch) {
        return in -> {
            Tensor y = inProj.forward(in[0]);
            Tensor[] qkv = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                qkv[i] = y.slice(2, i * E, (i + 1) * E, 1).reshape(L, batch * HEADS, E / HEADS).transpose(0, 1);
            }
            return new Tensor[] {qkv[0].bmm(qkv[1].transpose(1, 2)).softmax(-1).bmm(qkv[2])};
        };
    }

    private static void assertSameResults(Graph traced, Graph frozen, int[] shape) {
        Program program = Program.compile(frozen);
        for (int t = 0; t < 3; t++) {
            Tensor x = Tensor.randn(shape).mul(1.0 + t);
            float[] e = Interpreter.run(traced, x)[0].toFloatArray(), f = Interpreter.run(frozen, x)[0].toFloatArray(), c = program.run(x)[0].toFloatArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], f[i], 1e-6 + 1e-6 * Math.abs(e[i]), "trial " + t + ", interpreted, element " + i);
                assertEquals(e[i], c[i], 1e-5 + 1e-5 * Math.abs(e[i]), "trial " + t + ", compiled, element " + i);
            }
        }
    }

    @Test
    void aPackedProjectionWhoseSlicesAreCopiedSplitsAndOneViewedStaysWhole() {
        Sinter.manualSeed(5);
        Linear inProj = new Linear(E, 3 * E);
        Map<String, Tensor> state = new LinkedHashMap<>(inProj.namedParameters());
        for (int batch : new int[] {1, 3}) {
            int[] shape = {L, batch, E};
            Graph g = Tracer.trace(packedAttentionInputs(inProj, batch), List.of(new TensorSpec(shape, DType.FLOAT32)), state);
            PassManager.Report report = PassManager.frozenInference().run(g);
            Graph frozen = report.graph();
            if (batch == 1) {
                // Each slice views the product: nothing to copy, so the one product of 3E columns stays.
                assertEquals(List.of(3 * E), projectionWidths(frozen), frozen.toString());
                assertEquals(0, count(frozen, ShapeOps.Clone.class), frozen.toString());
            } else {
                // Before: the heads' reshape copies each column slice. After: three products, no slices, no copies.
                Graph before = withoutSplitting().run(g).graph();
                assertEquals(List.of(3 * E), projectionWidths(before), before.toString());
                assertTrue(count(before, ShapeOps.Clone.class) >= 3, "the trace copies each slice: " + before);
                assertEquals(List.of(E, E, E), projectionWidths(frozen), frozen.toString());
                assertEquals(0, count(frozen, ShapeOps.Clone.class), frozen.toString());
                assertEquals(0, count(frozen, ViewOps.Slice.class), frozen.toString());
                assertTrue(report.table().contains("split 1 products whose column slices were copied into 3"), report.table());
            }
            assertSameResults(g, frozen, shape);
        }
    }

    @Test
    void slicesThatDoNotTileTheColumnsAreLeftAlone() {
        Sinter.manualSeed(6);
        Linear inProj = new Linear(E, 3 * E);
        Map<String, Tensor> state = new LinkedHashMap<>(inProj.namedParameters());
        int batch = 3;
        int[] shape = {L, batch, E};
        // Only Q and K are read: the rule wants slices that tile the columns exactly, so it does not fire.
        Graph g = Tracer.trace(in -> {
            Tensor y = inProj.forward(in[0]);
            Tensor q = y.slice(2, 0, E, 1).reshape(L, batch * HEADS, E / HEADS), k = y.slice(2, E, 2 * E, 1).reshape(L, batch * HEADS, E / HEADS);
            return new Tensor[] {q.add(k)};
        }, List.of(new TensorSpec(shape, DType.FLOAT32)), state);
        Graph frozen = PassManager.frozenInference().run(g).graph();
        assertEquals(List.of(3 * E), projectionWidths(frozen), frozen.toString());
        assertSameResults(g, frozen, shape);
    }
}
