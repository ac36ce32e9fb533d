package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.MultiheadAttention;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.TensorSpec;

/** Products of one input by constant weights merge into one product; results unchanged on random inputs. */
class SiblingProductMergingTest {
    private static Map<String, Tensor> state(Module m) {
        return new LinkedHashMap<>(m.namedParameters());
    }

    private static List<Node> products(Graph g) {
        return g.nodes().stream().filter(n -> n.op() instanceof LinalgOps.Bmm).toList();
    }

    /** The frozen pipeline's graph equals the traced one on {@code trials} random inputs of {@code shape}. */
    private static void assertSameResults(Graph traced, Graph frozen, int[] shape, int trials) {
        for (int t = 0; t < trials; t++) {
            Tensor x = Tensor.randn(shape).mul(1.0 + t);
            Tensor[] e = Interpreter.run(traced, x), f = Interpreter.run(frozen, x);
            assertEquals(e.length, f.length);
            for (int o = 0; o < e.length; o++) {
                float[] a = e[o].toFloatArray(), b = f[o].toFloatArray();
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 + 1e-6 * Math.abs(a[i]), "trial " + t + ", output " + o + ", element " + i);
            }
        }
    }

    @Test
    void attentionProjectionsBecomeOneProduct() {
        Sinter.manualSeed(3);
        MultiheadAttention mha = new MultiheadAttention(16, 4);
        mha.eval();
        // Batch 1: Q, K and V become strided views of one product. Batch 3: the heads' reshape
        // ([L, B, E] -> [L, B·H, D]) cannot view a column slice, so the products stay apart.
        for (int batch : new int[] {1, 3}) {
            int[] shape = {6, batch, 16};
            Graph g = Tracer.trace(in -> new Tensor[] {mha.forward(in[0])}, List.of(new TensorSpec(shape, DType.FLOAT32)), state(mha));
            Graph frozen = PassManager.frozenInference().run(g).graph();
            // The heads' products are batched ([B·H, ...]); the projections are [1, M, N].
            List<Integer> widths = products(frozen).stream().filter(n -> n.output().shape()[0] == 1).map(n -> n.output().shape()[2]).sorted().toList();
            assertEquals(batch == 1 ? List.of(16, 48) : List.of(16, 16, 16, 16), widths, frozen.toString());
            assertSameResults(g, frozen, shape, 3);
        }
    }

    @Test
    void onlyProductsOfOneInputByConstantsMerge() {
        Sinter.manualSeed(4);
        Linear a = new Linear(8, 5), b = new Linear(8, 7), c = new Linear(8, 3, false), d = new Linear(8, 4, false), other = new Linear(8, 6);
        Map<String, Tensor> st = new LinkedHashMap<>();
        Module[] ms = {a, b, c, d, other};
        for (int i = 0; i < ms.length; i++) {
            int idx = i;
            ms[i].namedParameters().forEach((k, v) -> st.put("m" + idx + "." + k, v));
        }
        int[] shape = {2, 3, 8};
        Graph g = Tracer.trace(in -> {
            Tensor x = in[0], y = in[0].mul(2.0);
            return new Tensor[] {a.forward(x).sum(-1, false), b.forward(x).sum(-1, false), c.forward(x).relu(), d.forward(x).relu(), other.forward(y)};
        }, List.of(new TensorSpec(shape, DType.FLOAT32)), st);
        Pass.Result unmerged = new SiblingProductMerging().run(g);
        assertSame(g, unmerged.graph(), "parameters are not constants outside the frozen pipeline");
        Graph frozen = PassManager.frozenInference().run(g).graph();
        List<Integer> widths = products(frozen).stream().map(n -> n.output().shape()[2]).sorted().toList();
        // a and b (biased) merge into 12 columns; c and d (no bias) and the product of another input stay.
        assertEquals(List.of(3, 4, 6, 12), widths, frozen.toString());
        assertSameResults(g, frozen, shape, 3);
    }
}
