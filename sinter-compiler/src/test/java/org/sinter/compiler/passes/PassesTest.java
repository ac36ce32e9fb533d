package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;

/** Each pass on a small graph: the IR before, the IR after. */
class PassesTest {
    private static String run(Pass p, String before) {
        return GraphText.print(p.run(GraphText.parse(before)).graph());
    }

    @Test
    void deadCodeEliminationDropsUnusedNodesAndBindings() {
        String before = """
                graph(%0: float32[2, 3]) {
                  param %1: float32[3] "unused.bias"
                  %2: float32[2, 3] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %3: float32[2, 3] = Binary{fn: ADD}(%2, %1)
                  %4: float32[2, 3] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  return %4
                }
                """;
        String after = """
                graph(%0: float32[2, 3]) {
                  %1: float32[2, 3] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  return %1
                }
                """;
        assertEquals(after, run(new DeadCodeElimination(), before));
        Graph clean = GraphText.parse(after);
        assertSame(clean, new DeadCodeElimination().run(clean).graph(), "nothing to remove: the same graph");
    }

    @Test
    void cseMergesEqualOpsOnEqualInputsAndEqualConstants() {
        String before = """
                graph(%0: float32[4]) {
                  const %1: float64[] = 2.0 wrapped "const0"
                  const %2: float64[] = 2.0 wrapped "const1"
                  %3: float32[4] = Binary{fn: MUL}(%0, %1)
                  %4: float32[4] = Binary{fn: MUL}(%0, %2)
                  %5: float32[4] = Binary{fn: ADD}(%3, %4)
                  return %5
                }
                """;
        String after = """
                graph(%0: float32[4]) {
                  const %1: float64[] = 2.0 wrapped "const0"
                  %2: float32[4] = Binary{fn: MUL}(%0, %1)
                  %3: float32[4] = Binary{fn: ADD}(%2, %2)
                  return %3
                }
                """;
        assertEquals(after, GraphText.print(new DeadCodeElimination().run(new CommonSubexpressionElimination().run(GraphText.parse(before)).graph()).graph()));
    }

    @Test
    void algebraicIdentitiesWithBroadcastingCare() {
        String before = """
                graph(%0: float32[2, 3], %1: int64[3]) {
                  const %2: float64[] = 1.0 wrapped "one"
                  const %3: float64[] = 0.0 wrapped "zero"
                  %4: float32[2, 3] = Binary{fn: MUL}(%0, %2)
                  %5: float32[3, 2] = Transpose{dim0: 0, dim1: 1}(%4)
                  %6: float32[2, 3] = Transpose{dim0: 1, dim1: 0}(%5)
                  %7: float32[3] = Binary{fn: ADD}(%1, %3)
                  %8: float32[2, 3] = Binary{fn: ADD}(%6, %7)
                  return %8
                }
                """;
        // x·1 and the double transpose go; int64 + 0.0 promotes to float32, so it stays.
        String after = """
                graph(%0: float32[2, 3], %1: int64[3]) {
                  const %2: float64[] = 0.0 wrapped "zero"
                  %3: float32[3] = Binary{fn: ADD}(%1, %2)
                  %4: float32[2, 3] = Binary{fn: ADD}(%0, %3)
                  return %4
                }
                """;
        String simplified = run(new AlgebraicSimplification(), before);
        assertEquals(after, GraphText.print(new DeadCodeElimination().run(GraphText.parse(simplified)).graph()));
    }

    @Test
    void powByAConstantTwoBecomesSquare() {
        // x ** 2.0 becomes square(x); an exponent other than 2, or an int64 base, stays pow.
        String before = """
                graph(%0: float32[2, 3], %1: int64[3]) {
                  const %2: float64[] = 2.0 wrapped "two"
                  const %3: float64[] = 3.0 wrapped "three"
                  %4: float32[2, 3] = Binary{fn: POW}(%0, %2)
                  %5: float32[2, 3] = Binary{fn: POW}(%4, %3)
                  %6: float32[3] = Binary{fn: POW}(%1, %2)
                  %7: float32[2, 3] = Binary{fn: ADD}(%5, %6)
                  return %7
                }
                """;
        String after = """
                graph(%0: float32[2, 3], %1: int64[3]) {
                  const %2: float64[] = 2.0 wrapped "two"
                  const %3: float64[] = 3.0 wrapped "three"
                  %4: float32[2, 3] = Unary{fn: SQUARE, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %5: float32[2, 3] = Binary{fn: POW}(%4, %3)
                  %6: float32[3] = Binary{fn: POW}(%1, %2)
                  %7: float32[2, 3] = Binary{fn: ADD}(%5, %6)
                  return %7
                }
                """;
        String simplified = run(new AlgebraicSimplification(), before);
        assertEquals(after, GraphText.print(new DeadCodeElimination().run(GraphText.parse(simplified)).graph()));
        // Same bits as the eager pow on random inputs, the specials included.
        Graph g = GraphText.parse(before), s = GraphText.parse(simplified);
        java.util.Random r = new java.util.Random(3);
        for (int round = 0; round < 20; round++) {
            float[] xs = new float[6];
            for (int k = 0; k < xs.length; k++) xs[k] = (float) (r.nextGaussian() * 40);
            if (round == 0) xs = new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0f, 1e-30f, 3e12f, -1e19f};
            org.sinter.Tensor x = org.sinter.Tensor.of(xs, 2, 3), i = org.sinter.Tensor.arange(3).sub(1);
            org.sinter.Tensor want = org.sinter.compiler.runtime.Interpreter.run(g, x, i)[0];
            org.sinter.Tensor got = org.sinter.compiler.runtime.Interpreter.run(s, x, i)[0];
            org.junit.jupiter.api.Assertions.assertArrayEquals(want.toFloatArray(), got.toFloatArray());
        }
    }

    @Test
    void permutationsComposeOrCancel() {
        String before = """
                graph(%0: float32[2, 3, 4]) {
                  %1: float32[4, 2, 3] = Permute{dims: [2, 0, 1]}(%0)
                  %2: float32[2, 3, 4] = Permute{dims: [1, 2, 0]}(%1)
                  %3: float32[3, 4, 2] = Permute{dims: [1, 2, 0]}(%2)
                  %4: float32[4, 3, 2] = Permute{dims: [1, 0, 2]}(%3)
                  return %4
                }
                """;
        // [2, 0, 1] then [1, 2, 0] cancel; [1, 2, 0] then [1, 0, 2] is one permutation, [2, 1, 0].
        String after = """
                graph(%0: float32[2, 3, 4]) {
                  %1: float32[4, 3, 2] = Permute{dims: [2, 1, 0]}(%0)
                  return %1
                }
                """;
        assertEquals(after, run(new DeadCodeElimination(), run(new AlgebraicSimplification(), before)));
    }
}
