package org.sinter.compiler.passes.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.ir.OpCodec;
import org.sinter.compiler.passes.PassManager;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;

/** The cost-guided search: it applies rules where the cost model says they pay, and the result computes what the input did. */
class SubstitutionSearchTest {
    private static final String MERGE = """
            graph(%0: float32[1, M, K], %1: float32[1, K, N], %2: float32[1, K, N]) {
              %3: float32[1, M, N] = Bmm(%0, %1)
              %4: float32[1, M, N] = Bmm(%0, %2)
              return %3, %4
            }
            """;

    /**
     * x / 3 · 2, with PRE the lines that compute %x (none: %x is the input). In float64, which the
     * code generator does not fuse: in float32 the two ops are one kernel whatever their form.
     */
    private static final String THIRDS = """
            graph(%0: float64[64, 64]) {
              const %1: float64[] = 3.0 wrapped "three"
              const %2: float64[] = 2.0 wrapped "two"
              PRE
              %q: float64[64, 64] = Binary{fn: DIV}(%x, %1)
              %y: float64[64, 64] = Binary{fn: MUL}(%q, %2)
              return %y
            }
            """;

    private static Graph merge(int m, int k, int n) {
        return GraphText.parse(MERGE.replace("M", "" + m).replace("K", "" + k).replace("N", "" + n));
    }

    private static long count(Graph g, String kind) {
        return g.nodes().stream().filter(n -> OpCodec.kind(n.op()).equals(kind)).count();
    }

    /** On random inputs in [0, 1) (every function here is finite there), both graphs' results agree. */
    private static void assertSameResults(Graph expected, Graph actual, double tol) {
        Sinter.manualSeed(3);
        Tensor[] in = expected.inputs().stream().map(v -> Tensor.rand(v.dtype(), v.shape())).toArray(Tensor[]::new);
        try (var _ = Sinter.noGrad()) {
            Tensor[] e = Interpreter.run(expected, in), a = Interpreter.run(actual, in);
            assertEquals(e.length, a.length);
            for (int i = 0; i < e.length; i++) assertTrue(e[i].allclose(a[i], tol, tol), "result " + i + " differs");
        }
    }

    @Test
    void findsTasosMergeWhereTheSharedOperandDominates() {
        // A tall x read by two narrow products: memory-bound, so reading x once halves the work.
        Graph g = merge(2048, 128, 4);
        SubstitutionSearch.Outcome o = new SubstitutionSearch().search(g);
        assertEquals(List.of("merge-bmm-shared-lhs"), o.applied());
        assertEquals(1, count(o.graph(), "Bmm"));
        assertEquals(1, count(o.graph(), "Cat"));
        assertTrue(o.costAfter() < 0.6 * o.costBefore(), o.costBefore() + " → " + o.costAfter());
        assertSameResults(g, o.graph(), 1e-4);
    }

    @Test
    void leavesTheProductsAloneWhereConcatenatingTheWeightsCostsMore() {
        // Two rows times two wide matrices: copying the matrices into one costs more than x is worth.
        Graph g = merge(2, 64, 1024);
        SubstitutionSearch.Outcome o = new SubstitutionSearch().search(g);
        assertSame(g, o.graph());
        assertEquals(List.of(), o.applied());
        assertTrue(o.explored() > 0, "the merge was considered");
        assertEquals("", new SubstitutionSearch().run(g).changes());
    }

    @Test
    void frozenLinearLayersOfOneInputBecomeOneProductUnlessThatCostsTheirEpilogues() {
        Sinter.manualSeed(5);
        for (boolean bias : new boolean[] {false, true}) {
            Linear a = new Linear(16, 8, bias), b = new Linear(16, 4, bias);
            Function<Tensor[], Tensor[]> fn = in -> new Tensor[] {a.forward(in[0]), b.forward(in[0])};
            Map<String, Tensor> state = new java.util.HashMap<>(Map.of("a.weight", a.weight, "b.weight", b.weight));
            if (bias) state.putAll(Map.of("a.bias", a.bias, "b.bias", b.bias));
            CompiledFunction f = Compiler.compile(fn, state, CompileOptions.defaults()
                    .withPasses(PassManager.frozenInference().then(SubstitutionSearch.pipeline(true))));
            Tensor x = Tensor.randn(5, 16);
            try (var _ = Sinter.noGrad()) {
                // Without biases one product saves a GEMM; with them, each product's bias runs in its
                // GEMM's epilogue, which the slices of a merged product would lose.
                assertEquals(bias ? 2 : 1, count(f.graphFor(x), "Bmm"), f.graphFor(x).toString());
                Tensor[] got = f.call(x), want = fn.apply(new Tensor[] {x});
                for (int i = 0; i < 2; i++) assertTrue(want[i].allclose(got[i], 1e-5, 1e-6), "output " + i);
            }
        }
    }

    @Test
    void alphaLetsTheSearchPassThroughAStepThatGainsNothing() {
        // x / 3 · 2: turning the division into a multiplication gains nothing by itself (the tensor
        // is memory-bound either way), but then the two products merge into one. (Two Java numbers
        // multiply in the default dtype, float32, as in eager code: hence 2/3 rounded to float.)
        Graph g = GraphText.parse(THIRDS.replace("PRE\n", "").replace("%x", "%0"));
        var greedy = new SubstitutionSearch(RuleLibrary.standard(), RooflineCost.cpu(), new SubstitutionSearch.Options(1.0, 100, 10_000, 16));
        assertSame(g, greedy.search(g).graph(), "with alpha 1 the neutral step is never expanded");
        PassManager.Report r = PassManager.standard().then(SubstitutionSearch.pipeline(false)).run(g);
        assertEquals("""
                graph(%0: float64[64, 64]) {
                  const %1: float64[] = 0.6666666865348816 wrapped "folded.mul.1"
                  %2: float64[64, 64] = Binary{fn: MUL}(%0, %1)
                  return %2
                }
                """, GraphText.print(r.graph()));
        assertTrue(r.table().contains("| substitution search |") && r.table().contains("applied div-const-to-mul, mul-const-assoc; estimated "),
                r.table());
        assertSameResults(g, r.graph(), 1e-6);
    }

    @Test
    void aTracedFunctionComputesTheSameAfterTheSearch() {
        Sinter.manualSeed(7);
        // float64, which the code generator runs op by op: every rewrite that removes an op pays.
        Conv2d c1 = new Conv2d(3, 4, 3, 1, 1), c2 = new Conv2d(3, 4, 3, 1, 1);
        c1.to(DType.FLOAT64);
        c2.to(DType.FLOAT64);
        Function<Tensor[], Tensor[]> fn = in -> {
            Tensor x = in[0], y = in[1];
            Tensor conv = c1.forward(x).add(c2.forward(x)).relu().relu();                     // conv-add-shared-input, relu-relu
            Tensor pooled = F.maxPool2d(conv.relu(), 2);                                        // maxpool-of-relu
            Tensor e = y.exp().mul(y.neg().exp()).add(y.neg()).log().exp();                     // exp-product
            Tensor s = y.sqrt().reciprocal().mul(y).div(4.0).mul(3.0);                          // reciprocal-of-sqrt, div-const-to-mul, mul-const-assoc
            return new Tensor[] {pooled, e, s};
        };
        Map<String, Tensor> state = Map.of("c1.weight", c1.weight, "c1.bias", c1.bias, "c2.weight", c2.weight, "c2.bias", c2.bias);
        CompiledFunction traced = Compiler.compile(fn, state, CompileOptions.defaults().withPasses(PassManager.standard()));
        Graph g = traced.graphFor(Tensor.randn(DType.FLOAT64, 2, 3, 8, 8), Tensor.rand(DType.FLOAT64, 6));
        SubstitutionSearch.Outcome o = new SubstitutionSearch().search(g);
        assertTrue(o.applied().containsAll(List.of("conv-add-shared-input", "relu-relu", "maxpool-of-relu", "exp-product", "reciprocal-of-sqrt")),
                o.applied().toString());
        assertTrue(o.costAfter() < o.costBefore());
        assertEquals(1, count(o.graph(), "Conv2d"));
        assertSameResults(g, o.graph(), 1e-4);
        // The whole pipeline, through the compiler, against eager execution.
        CompiledFunction searched = Compiler.compile(fn, state, CompileOptions.defaults().withSubstitutionSearch());
        Tensor x = Tensor.randn(DType.FLOAT64, 2, 3, 8, 8), y = Tensor.rand(DType.FLOAT64, 6).mul(0.9).add(0.05); // log(1 − y) is finite
        try (var _ = Sinter.noGrad()) {
            Tensor[] want = fn.apply(new Tensor[] {x, y}), got = searched.call(x, y);
            for (int i = 0; i < want.length; i++) assertTrue(want[i].allclose(got[i], 1e-4, 1e-5), "output " + i);
        }
    }

    @Test
    void aCnnKeepsItsResultsWithReluAfterPooling() {
        Sinter.manualSeed(9);
        var cnn = new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3));
        CompiledFunction f = Compiler.compile(cnn, CompileOptions.defaults().withSubstitutionSearch());
        Tensor x = Tensor.randn(2, 1, 8, 8);
        try (var _ = Sinter.noGrad()) {
            assertTrue(cnn.forward(x).allclose(f.call(x)[0], 1e-5, 1e-6));
            List<String> order = f.graphFor(x).nodes().stream().map(n -> OpCodec.kind(n.op())).toList();
            assertTrue(order.indexOf("MaxPool2d") < order.indexOf("Unary"), "ReLU runs on the pooled tensor: " + order);
        }
    }

    @Test
    void strictImprovementsAreTakenWhateverTheBudgetLeftForTheSearch() {
        // relu(relu(x)) / 3 · 2: the hill climb removes a ReLU; the division needs the search.
        Graph g = GraphText.parse(THIRDS.replace("PRE", """
                  %r: float64[64, 64] = RELU(%0)
                  %x: float64[64, 64] = RELU(%r)""".strip()).replace("RELU", MatcherTest.RELU));
        var once = new SubstitutionSearch(RuleLibrary.standard(), RooflineCost.cpu(), new SubstitutionSearch.Options(1.05, 1, 10_000, 16));
        SubstitutionSearch.Outcome o = once.search(g);
        assertEquals(List.of("relu-relu"), o.applied());
        assertEquals(1, o.expanded());
        assertTrue(o.budgetSpent(), "the division's rewrite waits, unexpanded");
        assertTrue(once.run(g).changes().startsWith("applied relu-relu; estimated ") && once.run(g).changes().endsWith(", budget spent"));
        assertEquals(List.of("relu-relu", "div-const-to-mul", "mul-const-assoc"), new SubstitutionSearch().search(g).applied());
    }

    @Test
    void theSearchRewritesInsideControlFlowRegionsToo() {
        // A branch of a cond is a graph of its own: the pass manager runs the search in it as well.
        Graph g = GraphText.parse("""
                graph(%0: bool[], %1: float64[4]) {
                  %2: float64[4] = Cond(%0, %1) {
                    ifTrue(%3: float64[4]) {
                      %4: float64[4] = RELU(%3)
                      %5: float64[4] = RELU(%4)
                      return %5
                    }
                    ifFalse(%6: float64[4]) {
                      return %6
                    }
                  }
                  return %2
                }
                """.replace("RELU", MatcherTest.RELU));
        PassManager.Report r = PassManager.none().then(SubstitutionSearch.pipeline(false)).run(g);
        String search = r.table().lines().filter(l -> l.startsWith("| substitution search |")).findFirst().orElseThrow();
        assertTrue(search.endsWith("in regions: applied relu-relu; estimated 4.0 → 2.0 µs; 1 graphs explored |"), search);
        assertEquals(1, r.graph().nodes().size());
        Tensor x = Tensor.of(new double[] {-1, 2, -3, 4}, 4);
        try (var _ = Sinter.noGrad()) {
            assertTrue(Interpreter.run(r.graph(), Tensor.scalar(1, DType.BOOL), x)[0].allclose(x.relu()));
        }
    }

    @Test
    void theHashIgnoresNodeOrderAndSeesEveryOp() {
        String ab = """
                graph(%0: float32[4]) {
                  %1: float32[4] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %2: float32[4] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %3: float32[4] = Binary{fn: ADD}(%1, %2)
                  return %3
                }
                """;
        String ba = """
                graph(%0: float32[4]) {
                  %1: float32[4] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %2: float32[4] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %3: float32[4] = Binary{fn: ADD}(%2, %1)
                  return %3
                }
                """;
        assertEquals(GraphHash.of(GraphText.parse(ab)), GraphHash.of(GraphText.parse(ba)));
        assertNotEquals(GraphHash.of(GraphText.parse(ab)), GraphHash.of(GraphText.parse(ab.replace("fn: ADD", "fn: SUB"))));
        assertNotEquals(GraphHash.of(GraphText.parse(ab)), GraphHash.of(GraphText.parse(ab.replace("(%1, %2)", "(%2, %1)"))));
    }

    @Test
    void aReshapeThatCannotBeAViewIsRefused() {
        String slicedThenFlattened = """
                graph(%0: float32[4, 6]) {
                  %1: float32[4, 3] = Slice{dim: DIM, start: 0, end: 3, step: 1}(%0)
                  %2: float32[12] = Reshape{shape: [12]}(%1)
                  return %2
                }
                """;
        // Columns 0..2 of each row are not one run of memory; rows 0..2 are.
        assertTrue(!ViewLegality.legal(GraphText.parse(slicedThenFlattened.replace("DIM", "1"))));
        assertTrue(ViewLegality.legal(GraphText.parse(slicedThenFlattened.replace("DIM", "0").replace("[4, 3]", "[3, 6]").replace("[12]", "[18]"))));
    }

    @Test
    void theCostModelCountsKernelsNotViewsOrConstantWork() {
        RooflineCost cost = RooflineCost.cpu();
        String expOfWeight = """
                graph(%0: float32[64, 64]) {
                  param %1: float32[64, 64] "w"
                  %2: float32[64, 64] = Transpose{dim0: 0, dim1: 1}(%1)
                  %3: float32[64, 64] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  %4: float32[64, 64] = Binary{fn: ADD}(%0, %3)
                  return RESULTS
                }
                """;
        double fused = cost.cost(GraphText.parse(expOfWeight.replace("RESULTS", "%4")));
        // The exp and the add are one kernel; with the exp's result also returned they are two.
        assertTrue(cost.cost(GraphText.parse(expOfWeight.replace("RESULTS", "%4, %3"))) > fused + cost.launchSeconds());
        // A view is free: the same graph without the transpose costs the same.
        assertEquals(fused, cost.cost(GraphText.parse(expOfWeight.replace("  %2: float32[64, 64] = Transpose{dim0: 0, dim1: 1}(%1)\n", "")
                .replace("(%2)", "(%1)").replace("RESULTS", "%4"))), 1e-15);
        // With frozen parameters the exp of the weight folds: what is left costs what adding the weight costs.
        RooflineCost frozen = cost.withFrozenParameters(true);
        assertEquals(frozen.cost(GraphText.parse("""
                graph(%0: float32[64, 64]) {
                  param %1: float32[64, 64] "w"
                  %2: float32[64, 64] = Binary{fn: ADD}(%0, %1)
                  return %2
                }
                """)), frozen.cost(GraphText.parse(expOfWeight.replace("RESULTS", "%4"))), 1e-15);
        // A bias added to a product runs in the GEMM's epilogue: less than a kernel more than the product alone.
        String linear = """
                graph(%0: float32[1, 64, 64], %1: float32[1, 64, 64], %2: float32[64]) {
                  %3: float32[1, 64, 64] = Bmm(%0, %1)
                  %4: float32[64, 64] = Squeeze{dims: [0]}(%3)
                  %5: float32[64, 64] = Binary{fn: ADD}(%4, %2)
                  return %5
                }
                """;
        double product = cost.cost(GraphText.parse(linear.replace("  %5: float32[64, 64] = Binary{fn: ADD}(%4, %2)\n", "").replace("return %5", "return %4")));
        assertTrue(cost.cost(GraphText.parse(linear)) < product + cost.launchSeconds());
    }
}
