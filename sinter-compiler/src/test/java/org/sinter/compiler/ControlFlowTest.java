package org.sinter.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.ControlFlow;
import org.sinter.ControlFlow.ScanStep;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.ControlFlowOps;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Verifier;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.ops.TensorSpec;

/**
 * cond, whileLoop and scan: eager code and the compiled graph agree on data that changes the branch
 * taken or the trip count between calls of one compiled function, so a graph that baked in what the
 * trace saw would fail.
 */
class ControlFlowTest {
    /** Runs {@code fn} eagerly, then compiled (the lowered program) and interpreted, on each input; all must agree bit for bit. */
    private static CompiledFunction assertCompiledLikeEager(Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state, List<Tensor[]> calls) {
        CompiledFunction f = Compiler.compile(fn, state, CompileOptions.defaults());
        try (var _ = Sinter.noGrad()) {
            for (Tensor[] in : calls) {
                Tensor[] eager = fn.apply(in);
                Tensor[] compiled = f.call(in);
                Tensor[] interpreted = Interpreter.run(f.graphFor(in), in);
                assertEquals(eager.length, compiled.length);
                for (int i = 0; i < eager.length; i++) {
                    assertArrayEquals(eager[i].shape(), compiled[i].shape(), "output " + i);
                    assertArrayEquals(eager[i].toDoubleArray(), compiled[i].toDoubleArray(), 0, "compiled output " + i);
                    assertArrayEquals(eager[i].toDoubleArray(), interpreted[i].toDoubleArray(), 0, "interpreted output " + i);
                }
            }
        }
        return f;
    }

    private static long count(Graph g, Class<?> kind) {
        return g.nodes().stream().filter(n -> kind.isInstance(n.op())).count();
    }

    @Test
    void condPicksTheBranchWhenTheCompiledGraphRuns() {
        Tensor w = Tensor.of(new float[] {0.5f, -1f, 2f}, 3);
        Function<Tensor[], Tensor[]> fn = in -> {
            Tensor x = in[0], h = x.mul(3.0); // h: an intermediate the branches close over
            return ControlFlow.cond(x.sum().gt(0.0),
                    a -> new Tensor[] {a[0].mul(w).add(h), a[0].sum()},
                    a -> new Tensor[] {a[0].neg().exp().sub(w), h.amax(new int[] {0}, false)},
                    x);
        };
        Tensor pos = Tensor.of(new float[] {1, 2, 3}, 3), neg = Tensor.of(new float[] {-1, -2, 0.5f}, 3);
        CompiledFunction f = assertCompiledLikeEager(fn, Map.of("w", w), List.of(new Tensor[] {pos}, new Tensor[] {neg}, new Tensor[] {pos}));
        assertEquals(1, f.traceCount(), "one graph serves both branches");
        Graph g = f.graphFor(pos);
        assertEquals(1, count(g, ControlFlowOps.Cond.class));
        // The captures (w and h) are explicit operands after x: pred, x, then what the branches read.
        Node cond = g.nodes().stream().filter(n -> n.op() instanceof ControlFlowOps.Cond).findFirst().orElseThrow();
        assertEquals(4, cond.inputs().size(), cond.toString());
        assertNotEquals(fn.apply(new Tensor[] {pos})[0].toDoubleArray()[0], fn.apply(new Tensor[] {neg})[0].toDoubleArray()[0]);
    }

    @Test
    void whileLoopRunsANewtonIterationToTolerance() {
        // sqrt(a) by Newton's method until |x² − a| < 1e-6·a; the trip count depends on a.
        Function<Tensor[], Tensor[]> fn = in -> ControlFlow.whileLoop(
                s -> s[0].mul(s[0]).sub(in[0]).abs().gt(in[0].mul(1e-6)).logicalAnd(s[1].lt(100.0)),
                s -> new Tensor[] {s[0].add(in[0].div(s[0])).mul(0.5), s[1].add(1L)},
                in[0], Tensor.scalar(0, DType.INT64));
        List<Tensor[]> calls = List.of(new Tensor[] {Tensor.scalar(2.0, DType.FLOAT64)}, new Tensor[] {Tensor.scalar(1e6, DType.FLOAT64)},
                new Tensor[] {Tensor.scalar(1.0, DType.FLOAT64)});
        CompiledFunction f = assertCompiledLikeEager(fn, Map.of(), calls);
        assertEquals(1, f.traceCount());
        long[] steps = new long[calls.size()];
        try (var _ = Sinter.noGrad()) {
            for (int i = 0; i < steps.length; i++) {
                Tensor[] r = f.call(calls.get(i));
                steps[i] = r[1].itemLong();
                double a = calls.get(i)[0].item();
                assertEquals(Math.sqrt(a), r[0].item(), 1e-6 * Math.sqrt(a));
            }
        }
        assertEquals(0, steps[2], "sqrt(1) needs no step from x = 1");
        assertTrue(steps[1] > steps[0] && steps[0] > 0, "the trip count follows the data: " + java.util.Arrays.toString(steps));
    }

    @Test
    void whileLoopComputesCollatzLengths() {
        Function<Tensor[], Tensor[]> fn = in -> ControlFlow.whileLoop(
                s -> s[0].ne(1.0),
                s -> new Tensor[] {Tensor.where(s[0].remainder(2.0).eq(0.0), s[0].floorDivide(Tensor.scalar(2, DType.INT64)), s[0].mul(3L).add(1L)),
                        s[1].add(1L)},
                in[0], Tensor.scalar(0, DType.INT64));
        List<Tensor[]> calls = List.of(new Tensor[] {Tensor.scalar(27, DType.INT64)}, new Tensor[] {Tensor.scalar(6, DType.INT64)},
                new Tensor[] {Tensor.scalar(1, DType.INT64)});
        CompiledFunction f = assertCompiledLikeEager(fn, Map.of(), calls);
        try (var _ = Sinter.noGrad()) {
            assertEquals(111, f.call(calls.get(0))[1].itemLong(), "27 takes 111 steps to reach 1");
            assertEquals(8, f.call(calls.get(1))[1].itemLong());
            assertEquals(0, f.call(calls.get(2))[1].itemLong());
        }
    }

    @Test
    void scanComputesACumulativeSumForwardAndReversed() {
        Sinter.manualSeed(7);
        for (boolean reverse : new boolean[] {false, true}) {
            Function<Tensor[], Tensor[]> fn = in -> {
                ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
                    Tensor next = c[0].add(x[0]);
                    return new ScanStep(new Tensor[] {next}, new Tensor[] {next});
                }, new Tensor[] {in[1]}, new Tensor[] {in[0]}, reverse);
                return new Tensor[] {r.carry()[0], r.ys()[0]};
            };
            Tensor xs = Tensor.randn(DType.FLOAT64, 6, 4), zero = Tensor.zeros(DType.FLOAT64, 4);
            CompiledFunction f = assertCompiledLikeEager(fn, Map.of(), List.of(new Tensor[] {xs, zero}, new Tensor[] {Tensor.randn(DType.FLOAT64, 6, 4), zero}));
            Tensor[] out;
            try (var _ = Sinter.noGrad()) {
                out = f.call(xs, zero);
            }
            Tensor expected = reverse ? xs.flip(0).cumsum(0).flip(0) : xs.cumsum(0);
            assertArrayEquals(expected.toDoubleArray(), out[1].toDoubleArray(), 1e-12, "reverse " + reverse);
            assertArrayEquals(xs.sum(0, false).toDoubleArray(), out[0].toDoubleArray(), 1e-12);
        }
    }

    @Test
    void aCompiledScanOfNoStepsGivesItsInitAndEmptyStacks() {
        // Eagerly the outputs' shapes are unknown until the body runs; the traced body gives them.
        CompiledFunction f = Compiler.compile(in -> {
            ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> new ScanStep(new Tensor[] {c[0].add(x[0])}, new Tensor[] {x[0].mul(2.0)}),
                    new Tensor[] {in[1]}, in[0]);
            return new Tensor[] {r.carry()[0], r.ys()[0]};
        });
        Tensor[] xs = {Tensor.zeros(0, 3), Tensor.of(new float[] {1, 2, 3}, 3)};
        try (var _ = Sinter.noGrad()) {
            for (Tensor[] out : List.of(f.call(xs), Interpreter.run(f.graphFor(xs), xs))) {
                assertArrayEquals(new float[] {1, 2, 3}, out[0].toFloatArray());
                assertArrayEquals(new int[] {0, 3}, out[1].shape());
            }
        }
    }

    @Test
    void scanRunsAnRnnCellLikeTheJavaLoop() {
        Sinter.manualSeed(11);
        int steps = 7, batch = 3, in = 5, hidden = 4;
        Tensor wIh = Tensor.randn(hidden, in).mul(0.5), wHh = Tensor.randn(hidden, hidden).mul(0.5), b = Tensor.randn(hidden);
        Map<String, Tensor> state = Map.of("w_ih", wIh, "w_hh", wHh, "b", b);
        Function<Tensor[], Tensor[]> rnn = x -> {
            ControlFlow.ScanResult r = ControlFlow.scan((h, xt) -> {
                Tensor next = xt[0].matmul(wIh.t()).add(h[0].matmul(wHh.t())).add(b).tanh();
                return new ScanStep(new Tensor[] {next}, new Tensor[] {next});
            }, new Tensor[] {x[1]}, x[0]);
            return new Tensor[] {r.carry()[0], r.ys()[0]};
        };
        Tensor seq = Tensor.randn(steps, batch, in), h0 = Tensor.zeros(batch, hidden);
        assertCompiledLikeEager(rnn, state, List.of(new Tensor[] {seq, h0}, new Tensor[] {Tensor.randn(steps, batch, in), Tensor.randn(batch, hidden)}));
        // The eager Java loop the scan stands for.
        Tensor h = h0;
        Tensor[] hs = new Tensor[steps];
        try (var _ = Sinter.noGrad()) {
            for (int t = 0; t < steps; t++) hs[t] = h = seq.select(0, t).matmul(wIh.t()).add(h.matmul(wHh.t())).add(b).tanh();
            Tensor[] compiled = Compiler.compile(rnn, state, CompileOptions.defaults()).call(seq, h0);
            assertArrayEquals(h.toFloatArray(), compiled[0].toFloatArray(), 0f);
            assertArrayEquals(Tensor.stack(hs, 0).toFloatArray(), compiled[1].toFloatArray(), 0f);
            // Frozen, the weights are carried into the body as constants: transposed and packed once, not every step.
            Tensor[] frozen = Compiler.compile(rnn, state, CompileOptions.defaults().withFrozenParameters()).call(seq, h0);
            assertArrayEquals(Tensor.stack(hs, 0).toFloatArray(), frozen[1].toFloatArray(), 1e-6f);
        }
    }

    @Test
    void controlFlowNestsAndTheProgramCompilesItsRegions() {
        // Per step, a cond on the running carry clips it; the cond lives inside the scan's body.
        Function<Tensor[], Tensor[]> fn = in -> {
            ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
                Tensor next = c[0].add(x[0].mul(2.0).add(1.0).relu());
                Tensor[] clipped = ControlFlow.cond(next.sum().gt(4.0), a -> new Tensor[] {a[0].mul(0.25)}, a -> new Tensor[] {a[0]}, next);
                return new ScanStep(clipped, new Tensor[] {clipped[0].sum()});
            }, new Tensor[] {Tensor.zeros(3)}, in[0]);
            return new Tensor[] {r.carry()[0], r.ys()[0]};
        };
        Sinter.manualSeed(3);
        CompiledFunction f = assertCompiledLikeEager(fn, Map.of(), List.of(new Tensor[] {Tensor.randn(9, 3)}, new Tensor[] {Tensor.randn(9, 3).mul(3.0)}));
        Tensor x = Tensor.randn(9, 3);
        Program p = f.programFor(x);
        Graph g = p.graph();
        Verifier.verify(g);
        ControlFlowOps.Scan scan = (ControlFlowOps.Scan) g.nodes().stream().filter(n -> n.op() instanceof ControlFlowOps.Scan).findFirst().orElseThrow().op();
        assertEquals(1, count(scan.body(), ControlFlowOps.Cond.class), "the cond is a node of the scan's body");
        // A region's elementwise chain (mul, add, relu, add) is a fusion group of the region's own program.
        assertTrue(Program.compile(scan.body()).fusionGroups().size() >= 1);
    }

    @Test
    void tracingChecksTheRegionsLikeJax() {
        List<TensorSpec> vec3 = List.of(new TensorSpec(new int[] {3}, DType.FLOAT32));
        var branches = assertThrows(IllegalArgumentException.class, () -> Tracer.trace(in -> ControlFlow.cond(in[0].sum().gt(0.0),
                a -> new Tensor[] {a[0]}, a -> new Tensor[] {a[0].unsqueeze(0)}, in[0]), vec3, Map.of()));
        assertTrue(branches.getMessage().contains("cond: the branches must return the same shapes and dtypes: ifTrue returns [float32[3]], "
                + "ifFalse returns [float32[1, 3]]"), branches.getMessage());

        var loop = assertThrows(IllegalArgumentException.class, () -> Tracer.trace(in -> ControlFlow.whileLoop(s -> s[0].sum().lt(10.0),
                s -> new Tensor[] {s[0].to(DType.FLOAT64)}, in[0]), vec3, Map.of()));
        assertTrue(loop.getMessage().contains("whileLoop: the body must keep the loop state's shapes and dtypes: init is [float32[3]], "
                + "the body returns [float64[3]]"), loop.getMessage());

        var carry = assertThrows(IllegalArgumentException.class, () -> Tracer.trace(in -> ControlFlow.scan((c, x) ->
                new ScanStep(new Tensor[] {c[0].sum()}, new Tensor[0]), new Tensor[] {in[0]}, in[0]).carry(), vec3, Map.of()));
        assertTrue(carry.getMessage().contains("scan: the body must keep the carry's shapes and dtypes: the carry is [float32[3]], "
                + "the body returns [float32[]]"), carry.getMessage());

        var pred = assertThrows(IllegalArgumentException.class, () -> Tracer.trace(in -> ControlFlow.cond(in[0].sum(),
                a -> a, a -> a, in[0]), vec3, Map.of()));
        assertTrue(pred.getMessage().contains("cond: the predicate must be a bool tensor with one element, got float32[]"), pred.getMessage());

        var whileCond = assertThrows(IllegalArgumentException.class, () -> Tracer.trace(in -> ControlFlow.whileLoop(s -> s[0].gt(0.0),
                s -> s, in[0]), vec3, Map.of()));
        assertTrue(whileCond.getMessage().contains("whileLoop: cond's result must be a bool tensor with one element, got bool[3]"), whileCond.getMessage());
    }

    @Test
    void whatARegionCannotRepresentIsRefusedNamingIt() {
        List<TensorSpec> vec3 = List.of(new TensorSpec(new int[] {3}, DType.FLOAT32));
        var random = assertThrows(UnsupportedOperationException.class, () -> Tracer.trace(in -> ControlFlow.cond(in[0].sum().gt(0.0),
                a -> new Tensor[] {a[0].add(Tensor.rand(3))}, a -> a, in[0]), vec3, Map.of()));
        assertTrue(random.getMessage().contains("in cond's ifTrue draws random values"), random.getMessage());

        var write = assertThrows(UnsupportedOperationException.class, () -> Tracer.trace(in -> ControlFlow.scan((c, x) -> {
            c[0].add_(x[0]);
            return new ScanStep(c, new Tensor[0]);
        }, new Tensor[] {in[0].select(0, 0)}, in[0]).carry(), vec3, Map.of()));
        assertTrue(write.getMessage().contains("add_ in scan's body writes into the memory of a tensor the region takes"), write.getMessage());

        var javaIf = assertThrows(IllegalStateException.class, () -> Tracer.trace(in -> new Tensor[] {in[0].sum().item() > 0 ? in[0] : in[0].neg()},
                vec3, Map.of()));
        assertTrue(javaIf.getMessage().contains("use org.sinter.ControlFlow's cond, whileLoop or scan)"), javaIf.getMessage());

        var dynamic = assertThrows(IllegalArgumentException.class, () -> Compiler.compile(in -> ControlFlow.cond(in[0].sum().gt(0.0),
                a -> a, a -> new Tensor[] {a[0].neg()}, in[0]), Map.of(), CompileOptions.defaults().withDynamicBatch(true)).call(Tensor.randn(4, 3)));
        assertTrue(dynamic.getMessage().contains("a dynamic batch with control flow (cond) is not supported yet"), dynamic.getMessage());
    }

    @Test
    void eagerAutogradRunsThroughTheOpsTheyRun() {
        Sinter.manualSeed(5);
        Tensor w = Tensor.randn(4).requiresGrad(true);
        Tensor xs = Tensor.randn(5, 4);
        // Scan with a cond inside, against the same computation written as a Java loop.
        ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
            Tensor next = c[0].mul(w).add(x[0]).tanh();
            return new ScanStep(ControlFlow.cond(next.sum().gt(0.0), a -> new Tensor[] {a[0].mul(2.0)}, a -> a, next), new Tensor[0]);
        }, new Tensor[] {Tensor.ones(4)}, xs);
        r.carry()[0].sum().backward();
        Tensor viaPrimitives = w.grad();
        w.setGrad(null);
        Tensor c = Tensor.ones(4);
        for (int t = 0; t < 5; t++) {
            Tensor next = c.mul(w).add(xs.select(0, t)).tanh();
            c = next.sum().item() > 0 ? next.mul(2.0) : next;
        }
        c.sum().backward();
        assertArrayEquals(w.grad().toFloatArray(), viaPrimitives.toFloatArray(), 0f);

        // A compiled function called with gradients to record runs its graph op by op: backward works through its control flow.
        Tensor x = Tensor.randn(4).requiresGrad(true);
        CompiledFunction f = Compiler.compile(in -> ControlFlow.whileLoop(s -> s[0].sum().lt(20.0), s -> new Tensor[] {s[0].mul(1.5)}, in[0].exp()));
        f.call(x)[0].sum().backward();
        Tensor compiledGrad = x.grad();
        x.setGrad(null);
        Tensor e = x.exp();
        while (e.sum().item() < 20) e = e.mul(1.5);
        e.sum().backward();
        assertArrayEquals(x.grad().toFloatArray(), compiledGrad.toFloatArray(), 0f);
    }
}
