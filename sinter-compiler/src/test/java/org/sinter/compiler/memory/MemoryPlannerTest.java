package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.ops.TensorSpec;

/** Static memory plans: valid (no live overlap), between the live peak and the naive sum, reusing in place. */
class MemoryPlannerTest {
    @Test
    void anElementwiseChainRunsInOneBufferInPlace() {
        Graph g = GraphText.parse("""
                graph(%0: float32[256]) {
                  %1: float32[256] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %2: float32[256] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%1)
                  %3: float32[256] = Unary{fn: TANH, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  %4: float32[256] = Unary{fn: RELU, p0: 0.0, p1: 0.0, floatScalars: true}(%3)
                  return %4
                }
                """);
        MemoryPlan inPlace = MemoryPlanner.plan(g, MemoryPlanner::elementwise);
        inPlace.verify();
        assertEquals(1024, inPlace.plannedBytes(), inPlace.summary());
        MemoryPlan noReuse = MemoryPlanner.plan(g, n -> false);
        noReuse.verify();
        assertEquals(2048, noReuse.plannedBytes(), "without in-place writes two buffers alternate: " + noReuse.summary());
        assertEquals(3072, noReuse.naiveBytes());
    }

    @Test
    void aConvNetsPlanIsValidAndWellBelowNaive() {
        Sinter.manualSeed(2);
        Module m = new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Conv2d(8, 8, 3), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * 12 * 12, 32), new ReLU(), new Linear(32, 10));
        Graph g = Tracer.trace(in -> new Tensor[] {m.forward(in[0])}, List.of(new TensorSpec(new int[] {16, 1, 28, 28}, DType.FLOAT32)),
                m.namedParameters());
        MemoryPlan plan = MemoryPlanner.plan(g, MemoryPlanner::elementwise);
        plan.verify();
        assertTrue(plan.plannedBytes() >= plan.livePeakBytes(), plan.summary());
        assertTrue(plan.plannedBytes() <= plan.naiveBytes() * 0.7, plan.summary());
        assertTrue(plan.escapingBytes() >= 16 * 10 * 4, "the logits leave the arena: " + plan.summary());
    }

    @Test
    void viewsKeepTheirBaseAlive() {
        Graph g = Tracer.trace(in -> {
            Tensor y = in[0].exp();
            Tensor v = y.t(); // a view of y: y's buffer lives as long as v is read
            Tensor z = in[0].neg();
            return new Tensor[] {v.contiguous().add(z.t())};
        }, List.of(new TensorSpec(new int[] {8, 8}, DType.FLOAT32)), Map.of());
        MemoryPlan plan = MemoryPlanner.plan(g, MemoryPlanner::elementwise);
        plan.verify();
        MemoryPlan.Buffer exp = plan.buffers().stream().filter(b -> b.value().producer().op().name().equals("exp")).findFirst().orElseThrow();
        assertTrue(exp.lastUse() > exp.def() + 1, "exp's memory is read through its transpose later: " + exp.lastUse());
    }
}
