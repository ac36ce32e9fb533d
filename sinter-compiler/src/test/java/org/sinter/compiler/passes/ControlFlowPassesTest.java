package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.runtime.Interpreter;

/** The standard passes inside control-flow regions, and on control-flow nodes seen from outside. */
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
        assertEquals("simplified 1 op", report.steps().get(1).changes().replace("in regions: ", ""), report.table());
        Tensor x = Tensor.of(new float[] {1, -2, 3, 0.5f}, 4);
        for (boolean p : new boolean[] {true, false}) {
            Tensor pred = Tensor.of(new boolean[] {p}).reshape();
            assertArrayEquals(Interpreter.run(before, x, pred)[0].toFloatArray(), Interpreter.run(report.graph(), x, pred)[0].toFloatArray(), 0f);
        }
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
