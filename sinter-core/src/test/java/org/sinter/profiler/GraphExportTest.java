package org.sinter.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

class GraphExportTest {
    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void drawsFunctionsLeavesAndEdges() {
        Generator g = new Generator(1);
        Tensor w = g.randn(DType.FLOAT32, 2, 3).requiresGrad(true);
        Tensor b = g.randn(DType.FLOAT32, 3).requiresGrad(true);
        Tensor x = g.randn(DType.FLOAT32, 2, 3);
        Tensor loss = x.mul(w).add(b).sum();
        String dot = GraphExport.toDot(loss);

        assertTrue(dot.startsWith("digraph autograd {"), dot);
        assertTrue(dot.trim().endsWith("}"), dot);
        assertTrue(dot.contains("output [label=\"output\\n() float32\""), dot);
        assertTrue(dot.contains("n0 [label=\"SumBackward0\""), dot);
        assertEquals(1, count(dot, "\"AddBackward0\""), dot);
        assertEquals(1, count(dot, "\"MulBackward0\""), dot);
        assertTrue(dot.contains("\"AccumulateGrad\\n(2, 3) float32\""), dot);
        assertTrue(dot.contains("\"AccumulateGrad\\n(3,) float32\""), dot);
        assertEquals(2, count(dot, "AccumulateGrad"), "x needs no gradient: only w and b are leaves\n" + dot);
        assertEquals(5, count(dot, " -> "), "sum->output, add->sum, mul->add, b->add, w->mul\n" + dot);
    }

    @Test
    void sharedNodesAppearOnce() {
        Tensor w = Tensor.ones(4).requiresGrad(true);
        Tensor h = w.exp();
        String dot = GraphExport.toDot(h.mul(h).add(h).sum());
        assertEquals(1, count(dot, "\"ExpBackward0\""), dot);
        assertEquals(1, count(dot, "AccumulateGrad"), dot);
    }

    @Test
    void tensorWithoutHistoryIsJustTheOutput() {
        String dot = GraphExport.toDot(Tensor.zeros(DType.INT64, 5));
        assertTrue(dot.contains("output [label=\"output\\n(5,) int64\""), dot);
        assertEquals(0, count(dot, " -> "), dot);
    }
}
