package org.sinter.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.ControlFlow;
import org.sinter.ControlFlow.ScanStep;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;

/** Regions in the IR: printed as nested blocks and parsed back, verified, drawn as clusters. */
class ControlFlowIrTest {
    /** A while loop whose body holds a cond, then a scan whose body holds a while loop: regions two deep. */
    private static Graph nested() {
        List<TensorSpec> specs = List.of(new TensorSpec(new int[] {3}, DType.FLOAT32), new TensorSpec(new int[] {4, 3}, DType.FLOAT32));
        return Tracer.trace(in -> {
            Tensor scale = in[0].abs().add(1.0);
            Tensor[] grown = ControlFlow.whileLoop(s -> s[0].sum().lt(50.0), s -> ControlFlow.cond(s[0].amax(new int[] {0}, false).gt(5.0),
                    a -> new Tensor[] {a[0].add(scale)}, a -> new Tensor[] {a[0].mul(scale)}, s[0]), in[0].abs().add(0.5));
            ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
                Tensor[] halved = ControlFlow.whileLoop(s -> s[0].abs().sum().gt(1.0), s -> new Tensor[] {s[0].mul(0.5)}, c[0].add(x[0]));
                return new ScanStep(halved, new Tensor[] {halved[0].sum()});
            }, grown, in[1]);
            return new Tensor[] {r.carry()[0], r.ys()[0]};
        }, specs, Map.of());
    }

    @Test
    void nestedRegionsPrintParseBackAndRun() {
        Graph g = nested();
        Verifier.verify(g);
        String text = GraphText.print(g);
        assertTrue(text.contains("= WhileLoop(") && text.contains("    body(") && text.contains("      %"), text);
        assertTrue(text.contains("        ifTrue(") && text.contains("= Scan{carries: 1, xs: 1, reverse: false}("), text);
        Graph parsed = GraphText.parse(text);
        Verifier.verify(parsed);
        assertEquals(text, GraphText.print(parsed));
        Sinter.manualSeed(2);
        Tensor a = Tensor.randn(3), b = Tensor.randn(4, 3).mul(4.0);
        Tensor[] expected = Interpreter.run(g, a, b), got = Interpreter.run(parsed, a, b);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i].toFloatArray(), got[i].toFloatArray(), 0f);
    }

    private static final String COND = """
            graph(%0: float32[2], %1: float32[2]) {
              const %2: float64[] = 0.0 wrapped "zero"
              %3: float32[] = Reduce{kind: SUM, dims: [0], keepDim: false, mean: false, name: \"sum\"}(%0)
              %4: bool[] = Compare{fn: GT}(%3, %2)
              %5: float32[2] = Cond(%4, %0, %1) {
                ifTrue(%6: float32[2], %7: float32[2]) {
                  %8: float32[2] = Binary{fn: MUL}(%6, %7)
                  return %8
                }
                ifFalse(%9: float32[2], %10: float32[2]) {
                  return %10
                }
              }
              return %5
            }
            """;

    @Test
    void handWrittenRegionsParseAndRun() {
        Graph g = GraphText.parse(COND);
        Verifier.verify(g);
        assertEquals(COND, GraphText.print(g));
        Tensor x = Tensor.of(new float[] {1, 2}, 2), w = Tensor.of(new float[] {3, 5}, 2);
        assertArrayEquals(new float[] {3, 10}, Interpreter.run(g, x, w)[0].toFloatArray());
        assertArrayEquals(new float[] {3, 5}, Interpreter.run(g, x.neg(), w)[0].toFloatArray());
    }

    @Test
    void badRegionsInTextAreRefusedNamingTheLine() {
        var outer = assertThrows(IllegalArgumentException.class, () -> GraphText.parse(COND.replace("return %10", "return %1")));
        assertTrue(outer.getMessage().startsWith("graph text line 11 'return %1': %1 is used before it is defined"), outer.getMessage());

        var branches = assertThrows(IllegalArgumentException.class, () -> GraphText.parse(COND.replace(
                "ifFalse(%9: float32[2], %10: float32[2]) {\n      return %10",
                "ifFalse(%9: float32[2], %10: float32[2]) {\n      %11: float32[] = Reduce{kind: SUM, dims: [0], keepDim: false, mean: false, name: \"sum\"}(%10)\n      return %11")));
        assertTrue(branches.getMessage().contains("graph text line 5 '%5: float32[2] = Cond(%4, %0, %1) {': op 'Cond': cond: the branches must return the "
                + "same shapes and dtypes: ifTrue returns [float32[2]], ifFalse returns [float32[]]"), branches.getMessage());

        var missing = assertThrows(IllegalArgumentException.class, () -> GraphText.parse(COND.replace("ifFalse(", "otherwise(")));
        assertTrue(missing.getMessage().contains("missing the region 'ifFalse'"), missing.getMessage());

        var unclosed = assertThrows(IllegalArgumentException.class, () -> GraphText.parse(COND.substring(0, COND.indexOf("  return %5"))));
        assertTrue(unclosed.getMessage().contains("missing the closing '}'"), unclosed.getMessage());
    }

    @Test
    void verifierChecksRegionsAndTheirFit() {
        Graph g = GraphText.parse(COND);
        ControlFlowOps.Cond cond = (ControlFlowOps.Cond) g.nodes().get(2).op();
        // A pass that broke a region's SSA order: the error names the node and the region.
        Graph ifTrue = cond.ifTrue();
        List<Node> body = List.copyOf(ifTrue.nodes());
        ifTrue.setNodes(List.of());
        var ssa = assertThrows(IllegalStateException.class, () -> Verifier.verify(g));
        assertTrue(ssa.getMessage().matches("verify: node \\[%\\d+] = Cond: region ifTrue: verify: graph output %\\d+ is not defined"), ssa.getMessage());
        ifTrue.setNodes(body);
        Verifier.verify(g);
        // A region that no longer fits its sibling.
        Graph ifFalse = cond.ifFalse();
        ifFalse.setOutputs(List.of(ifFalse.add1(new UnaryOps.Cast(DType.FLOAT64), ifFalse.inputs().get(1))));
        var fit = assertThrows(IllegalStateException.class, () -> Verifier.verify(g));
        assertTrue(fit.getMessage().contains("= Cond: its regions do not fit: cond: the branches must return the same shapes and dtypes: "
                + "ifTrue returns [float32[2]], ifFalse returns [float64[2]]"), fit.getMessage());
    }

    @Test
    void graphvizDrawsRegionsAsClusters() {
        String dot = Graphviz.toDot(nested());
        assertTrue(dot.contains("subgraph cluster_n") && dot.contains("label=\"while_loop body\"") && dot.contains("label=\"cond ifTrue\""), dot);
        assertTrue(dot.contains("label=\"scan body\"") && dot.contains("[shape=ellipse, label=\"arg "), dot);
        long open = dot.chars().filter(c -> c == '{').count(), close = dot.chars().filter(c -> c == '}').count();
        assertEquals(open, close, "balanced braces");
    }
}
