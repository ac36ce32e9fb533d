package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.ControlFlow;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.ControlFlowOps;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.ViewOps;

/** The standard passes inside control-flow regions, on control-flow nodes seen from outside, and constants carried across. */
class ControlFlowPassesTest {
    private static final String BEFORE = """
            graph(%0: float32[4], %1: bool[]) {
              const %2: float64[] = 2.0 wrapped "two"
              %3: float32[4] = Binary{fn: MUL}(%0, %2)
              %4: float32[4] = Cond(%1, %0) {
                ifTrue(%5: float32[4]) {
                  const %6: float64[] = 2.0 wrapped "c"
                  const %7: float64[] = 0.0 wrapped "zero"
                  %8: float32[4] = Binary{fn: MUL}(%5, %6)
                  %9: float32[4] = Binary{fn: MUL}(%5, %6)
                  %10: float32[4] = Binary{fn: ADD}(%8, %9)
                  %11: float32[4] = Binary{fn: ADD}(%10, %7)
                  %12: float32[4] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%5)
                  return %11
                }
                ifFalse(%13: float32[4]) {
                  return %13
                }
              }
              %14: float32[4] = Cond(%1, %3) {
                ifTrue(%15: float32[4]) {
                  return %15
                }
                ifFalse(%16: float32[4]) {
                  return %16
                }
              }
              return %4
            }
            """;

    /** Inside the branch: x + 0 simplified, the repeated product merged, the dead exp dropped; outside: the unused cond and what only it read. */
    private static final String AFTER = """
            graph(%0: float32[4], %1: bool[]) {
              %2: float32[4] = Cond(%1, %0) {
                ifTrue(%3: float32[4]) {
                  const %4: float64[] = 2.0 wrapped "c"
                  %5: float32[4] = Binary{fn: MUL}(%3, %4)
                  %6: float32[4] = Binary{fn: ADD}(%5, %5)
                  return %6
                }
                ifFalse(%7: float32[4]) {
                  return %7
                }
              }
              return %2
            }
            """;

    @Test
    void theStandardPassesWorkInsideRegionsAndKeepTheResults() {
        Graph before = GraphText.parse(BEFORE);
        PassManager.Report report = PassManager.standard().run(before);
        assertEquals(AFTER, GraphText.print(report.graph()));
        assertEquals("in regions: simplified 1 op", report.steps().stream().filter(st -> st.pass().equals("algebraic simplification"))
                .findFirst().orElseThrow().changes(), report.table());
        Tensor x = Tensor.of(new float[] {1, -2, 3, 0.5f}, 4);
        for (boolean p : new boolean[] {true, false}) {
            Tensor pred = Tensor.of(new boolean[] {p}).reshape();
            assertArrayEquals(Interpreter.run(before, x, pred)[0].toFloatArray(), Interpreter.run(report.graph(), x, pred)[0].toFloatArray(), 0f);
        }
    }

    @Test
    void frozenWeightsCapturedByALoopBodyAreCarriedIntoItAndFoldThere() {
        // An RNN body transposes its weight on every step; with the weight frozen, the transpose folds once, inside the body.
        Tensor weight = Tensor.randn(3, 2);
        Graph traced = Tracer.trace(in -> {
            ControlFlow.ScanResult r = ControlFlow.scan((h, x) -> {
                Tensor next = x[0].unsqueeze(0).matmul(weight.t()).squeeze(0).add(h[0]).tanh();
                return new ControlFlow.ScanStep(new Tensor[] {next}, new Tensor[] {next});
            }, new Tensor[] {in[1]}, in[0]);
            return new Tensor[] {r.carry()[0], r.ys()[0]};
        }, List.of(new TensorSpec(new int[] {5, 2}, DType.FLOAT32), new TensorSpec(new int[] {3}, DType.FLOAT32)), Map.of("w", weight));
        PassManager.Report report = PassManager.frozenInference().run(traced);
        Graph body = ((ControlFlowOps.Scan) report.graph().nodes().get(0).op()).body();
        assertTrue(report.table().contains("carried 1 constant into regions"), report.table());
        assertTrue(body.nodes().stream().noneMatch(n -> n.op() instanceof ViewOps.Transpose), GraphText.print(body));
        assertTrue(body.parameters().values().stream().anyMatch(p -> p.constant() && p.tensor().numel() == 6), GraphText.print(body));
        Tensor xs = Tensor.randn(5, 2), h0 = Tensor.randn(3);
        Tensor[] expected = Interpreter.run(traced, xs, h0), got = Interpreter.run(report.graph(), xs, h0);
        for (int i = 0; i < 2; i++) assertArrayEquals(expected[i].toFloatArray(), got[i].toFloatArray(), 1e-6f);
        assertSame(report.graph(), new ConstantCaptures().run(report.graph()).graph(), "once carried, nothing is left to carry");
    }

    @Test
    void aCondOfConstantsFoldsToTheBranchItTakes() {
        String text = """
                graph(%0: float32[2]) {
                  const %1: bool[] = false "p"
                  const %2: float64[] = 3.0 wrapped "three"
                  %3: float64[] = Cond(%1, %2) {
                    ifTrue(%4: float64[]) {
                      return %4
                    }
                    ifFalse(%5: float64[]) {
                      %6: float64[] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%5)
                      return %6
                    }
                  }
                  %7: float32[2] = Binary{fn: MUL}(%0, %3)
                  return %7
                }
                """;
        Graph folded = new ConstantFolding(false).run(GraphText.parse(text)).graph();
        assertEquals(0, folded.nodes().stream().filter(n -> n.op().name().equals("cond")).count(), GraphText.print(folded));
        assertArrayEquals(new float[] {-3, -6}, Interpreter.run(folded, Tensor.of(new float[] {1, 2}, 2))[0].toFloatArray());
    }
}
