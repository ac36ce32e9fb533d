package org.sinter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.ControlFlow;
import org.sinter.ControlFlow.ScanStep;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autograd.GradCheck;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.ControlFlowOps;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.TensorSpec;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * A compiled training step through scan and cond gives eager autograd's gradients: their backward
 * is itself a scan and a cond in the training graph, so it follows the data of each step; the
 * backward formulas pass finite differences in float64. A while loop is refused, naming it.
 */
class ControlFlowTrainingTest {
    /** An RNN over the sequence as a scan, and a data-dependent head chosen by cond. */
    static final class ScanRnn extends Module {
        final Linear input, recurrent, head;
        final boolean loop;

        @SuppressWarnings("this-escape")
        ScanRnn(boolean loop) {
            this.loop = loop;
            input = registerModule("input", new Linear(3, 5));
            recurrent = registerModule("recurrent", new Linear(5, 5));
            head = registerModule("head", new Linear(5, 4));
        }

        @Override
        public Tensor forward(Tensor x) { // x: [batch, steps, 3]
            Tensor h0 = Tensor.zeros(x.shape()[0], 5);
            ControlFlow.ScanResult r = ControlFlow.scan((h, xt) -> {
                Tensor next = input.forward(xt[0]).add(recurrent.forward(h[0])).tanh();
                return new ScanStep(new Tensor[] {next}, new Tensor[] {next.mean(1, false)});
            }, new Tensor[] {h0}, x.transpose(0, 1));
            Tensor last = r.carry()[0];
            if (loop) last = ControlFlow.whileLoop(s -> s[0].abs().sum().lt(10.0), s -> new Tensor[] {s[0].mul(2.0)}, last)[0];
            Tensor logits = head.forward(last).add(r.ys()[0].sum(0, false).unsqueeze(1));
            return ControlFlow.cond(x.sum().gt(0.0), a -> new Tensor[] {a[0].mul(2.0)}, a -> new Tensor[] {a[0].mul(head.bias).sub(1.0)}, logits)[0];
        }
    }

    @Test
    void gradientsThroughScanAndCondMatchEagerAutograd() {
        Sinter.manualSeed(31);
        ScanRnn eager = new ScanRnn(false);
        Sinter.manualSeed(31);
        ScanRnn compiled = new ScanRnn(false);
        var step = new CompiledTrainingStep(compiled, F::crossEntropy);
        Tensor y = Tensor.of(new long[] {0, 3, 1, 2}, 4);
        Tensor x = Tensor.randn(4, 6, 3);
        // The second batch takes the other branch of the cond: the same compiled graph must follow it.
        for (Tensor batch : List.of(x.abs(), x.abs().neg())) {
            eager.zeroGrad();
            compiled.zeroGrad();
            Tensor eagerLoss = F.crossEntropy(eager.forward(batch), y);
            eagerLoss.backward();
            Tensor loss = step.step(batch, y);
            assertEquals(eagerLoss.item(), loss.item(), 1e-6);
            TrainingStepTest.assertSameGradients(eager, compiled);
        }
        Graph g = step.graph(x, y);
        long scans = g.nodes().stream().filter(n -> n.op() instanceof ControlFlowOps.Scan).count();
        long conds = g.nodes().stream().filter(n -> n.op() instanceof ControlFlowOps.Cond).count();
        assertEquals(3, scans, "the forward scan, the carries recomputed, and the reverse scan of the body's vector-Jacobian product");
        assertEquals(2, conds, "the forward cond and the cond of the branches' vector-Jacobian products");
    }

    /** Runs a graph one op at a time with each control-flow node dispatched whole, so autograd differentiates it by its own backward. */
    private static Tensor runWhole(Graph g, Tensor... inputs) {
        Map<Value, Tensor> env = new IdentityHashMap<>();
        for (int i = 0; i < inputs.length; i++) env.put(g.inputs().get(i), inputs[i]);
        g.parameters().forEach((v, p) -> env.put(v, p.tensor()));
        for (Node n : g.nodes()) {
            Tensor[] outs = Dispatch.apply(n.op(), n.inputs().stream().map(env::get).toArray(Tensor[]::new));
            if (n.op() instanceof ControlFlowOps.ControlFlowOp && outs[0].requiresGrad()) assertEquals(n.op().name(), outs[0].gradFn().name().replace("Backward0", "").toLowerCase());
            for (int i = 0; i < outs.length; i++) env.put(n.outputs().get(i), outs[i]);
        }
        return env.get(g.outputs().get(0));
    }

    @Test
    void theBackwardOfCondAndScanPassesFiniteDifferences() {
        List<TensorSpec> specs = List.of(new TensorSpec(new int[] {3}, DType.FLOAT64), new TensorSpec(new int[] {3}, DType.FLOAT64),
                new TensorSpec(new int[] {4, 3}, DType.FLOAT64));
        Graph g = Tracer.trace(in -> {
            ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
                Tensor next = c[0].mul(in[0]).add(x[0]).tanh();
                Tensor[] kept = ControlFlow.cond(next.sum().gt(0.0), a -> new Tensor[] {a[0].mul(in[0])}, a -> a, next);
                return new ScanStep(kept, new Tensor[] {kept[0].sum()});
            }, new Tensor[] {in[1]}, new Tensor[] {in[2]}, true);
            Tensor[] out = ControlFlow.cond(r.carry()[0].sum().lt(0.0), a -> new Tensor[] {a[0].mul(a[1].sum())}, a -> new Tensor[] {a[0].exp()},
                    r.carry()[0], r.ys()[0]);
            return new Tensor[] {out[0].sum().add(r.ys()[0].mul(r.ys()[0]).sum())};
        }, specs, Map.of());
        Sinter.manualSeed(8);
        for (int trial = 0; trial < 3; trial++) {
            Tensor w = Tensor.randn(DType.FLOAT64, 3).requiresGrad(true), h0 = Tensor.randn(DType.FLOAT64, 3).requiresGrad(true);
            Tensor xs = Tensor.randn(DType.FLOAT64, 4, 3).mul(1.5).requiresGrad(true);
            assertTrue(GradCheck.gradcheck(in -> runWhole(g, in), w, h0, xs), "trial " + trial);
        }
    }

    @Test
    void aWhileLoopInATrainingGraphIsRefusedNamingIt() {
        Sinter.manualSeed(32);
        var step = new CompiledTrainingStep(new ScanRnn(true), F::crossEntropy);
        var e = assertThrows(UnsupportedOperationException.class, () -> step.step(Tensor.randn(4, 6, 3), Tensor.of(new long[] {0, 3, 1, 2}, 4)));
        assertTrue(e.getMessage().startsWith("whileLoop: reverse-mode differentiation through a while loop is not supported"), e.getMessage());
    }
}
