package org.sinter.compiler.passes.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.ir.Verifier;

/** Rules applied by hand, one match each: the IR before and after, and the places a rule must not fire. */
class MatcherTest {
    static final String RELU = "Unary{fn: RELU, p0: 0.0, p1: 0.0, floatScalars: true}";

    static Rule rule(String name) {
        return RuleLibrary.standard().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static List<Match> matches(String rule, Graph g) {
        return Matcher.find(rule(rule), new GraphIndex(g), 100);
    }

    /** The graph after applying {@code rule} at its first match, printed. */
    static String applyOnce(String rule, String before) {
        Graph g = GraphText.parse(before);
        List<Match> ms = matches(rule, g);
        assertTrue(!ms.isEmpty(), rule + " matches");
        Graph after = Substitution.apply(g, ms.get(0));
        Verifier.verify(after);
        return GraphText.print(after);
    }

    @Test
    void reluOfReluIsOneRelu() {
        String before = """
                graph(%0: float32[2, 3]) {
                  %1: float32[2, 3] = RELU(%0)
                  %2: float32[2, 3] = RELU(%1)
                  %3: float32[2, 3] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  return %3
                }
                """.replace("RELU", RELU);
        String after = """
                graph(%0: float32[2, 3]) {
                  %1: float32[2, 3] = RELU(%0)
                  %2: float32[2, 3] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%1)
                  return %2
                }
                """.replace("RELU", RELU);
        assertEquals(after, applyOnce("relu-relu", before));
    }

    @Test
    void tasoMergesTwoProductsOfOneOperand() {
        String before = """
                graph(%0: float32[1, 8, 16], %1: float32[1, 16, 4], %2: float32[1, 16, 6]) {
                  %3: float32[1, 8, 4] = Bmm(%0, %1)
                  %4: float32[1, 8, 6] = Bmm(%0, %2)
                  return %3, %4
                }
                """;
        String after = """
                graph(%0: float32[1, 8, 16], %1: float32[1, 16, 4], %2: float32[1, 16, 6]) {
                  %3: float32[1, 16, 10] = Cat{dim: 2}(%1, %2)
                  %4: float32[1, 8, 10] = Bmm(%0, %3)
                  %5: float32[1, 8, 4] = Slice{dim: 2, start: 0, end: 4, step: 1}(%4)
                  %6: float32[1, 8, 6] = Slice{dim: 2, start: 4, end: 10, step: 1}(%4)
                  return %5, %6
                }
                """;
        assertEquals(after, applyOnce("merge-bmm-shared-lhs", before));
    }

    @Test
    void aReaderOfTheFirstProductMovesAfterTheSecondWeight() {
        // %5 reads the first product before %6, the second weight, exists: the merged product needs
        // %6, so %5 moves after it.
        String before = """
                graph(%0: float32[1, 8, 16], %1: float32[1, 16, 4], %2: float32[1, 16, 6]) {
                  %3: float32[1, 8, 4] = Bmm(%0, %1)
                  %4: float32[1, 8, 4] = RELU(%3)
                  %5: float32[1, 16, 6] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  %6: float32[1, 8, 6] = Bmm(%0, %5)
                  return %4, %6
                }
                """.replace("RELU", RELU);
        String after = """
                graph(%0: float32[1, 8, 16], %1: float32[1, 16, 4], %2: float32[1, 16, 6]) {
                  %3: float32[1, 16, 6] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  %4: float32[1, 16, 10] = Cat{dim: 2}(%1, %3)
                  %5: float32[1, 8, 10] = Bmm(%0, %4)
                  %6: float32[1, 8, 4] = Slice{dim: 2, start: 0, end: 4, step: 1}(%5)
                  %7: float32[1, 8, 6] = Slice{dim: 2, start: 4, end: 10, step: 1}(%5)
                  %8: float32[1, 8, 4] = RELU(%6)
                  return %8, %7
                }
                """.replace("RELU", RELU);
        assertEquals(after, applyOnce("merge-bmm-shared-lhs", before));
    }

    @Test
    void anInputComputedFromTheMatchRefusesIt() {
        // The second product's weight is computed from the first product: merging would make the
        // merged product depend on itself.
        String g = """
                graph(%0: float32[1, 4, 4], %1: float32[1, 4, 4]) {
                  %2: float32[1, 4, 4] = Bmm(%0, %1)
                  %3: float32[1, 4, 4] = RELU(%2)
                  %4: float32[1, 4, 4] = Bmm(%0, %3)
                  return %4
                }
                """.replace("RELU", RELU);
        assertEquals(0, matches("merge-bmm-shared-lhs", GraphText.parse(g)).size());
    }

    @Test
    void anEscapingIntermediateRefusesTheMatch() {
        // The inner ReLU is also a result of the graph: replacing the pair would still need it, so
        // the rule (which does not allow escapes) does not fire.
        String g = """
                graph(%0: float32[4]) {
                  %1: float32[4] = RELU(%0)
                  %2: float32[4] = RELU(%1)
                  return %2, %1
                }
                """.replace("RELU", RELU);
        assertEquals(0, matches("relu-relu", GraphText.parse(g)).size());
        String readByAnother = """
                graph(%0: float32[4]) {
                  %1: float32[4] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %2: float32[4] = Unary{fn: LOG, p0: 0.0, p1: 0.0, floatScalars: true}(%1)
                  %3: float32[4] = Binary{fn: ADD}(%2, %1)
                  return %3
                }
                """;
        assertEquals(0, matches("log-of-exp", GraphText.parse(readByAnother)).size());
    }

    @Test
    void anEscapeARuleAllowsKeepsTheIntermediate() {
        Rule allowing = Rule.parse(rule("relu-relu").text().replace("rule relu-relu", "rule relu-relu-escaping").replace("doc ReLU", "allow-escape\n  doc ReLU"));
        Graph g = GraphText.parse("""
                graph(%0: float32[4]) {
                  %1: float32[4] = RELU(%0)
                  %2: float32[4] = RELU(%1)
                  return %2, %1
                }
                """.replace("RELU", RELU));
        Graph after = Substitution.apply(g, Matcher.find(RuleLibrary.accept(List.of(allowing)).get(0), new GraphIndex(g), 10).get(0));
        assertEquals("""
                graph(%0: float32[4]) {
                  %1: float32[4] = RELU(%0)
                  %2: float32[4] = RELU(%0)
                  return %2, %1
                }
                """.replace("RELU", RELU), GraphText.print(after));
    }

    @Test
    void shapesMustBeExactlyThoseOfTheRule() {
        // x + (−y) with y broadcast: add-neg-to-sub is written for equal shapes, so it does not fire.
        String broadcast = """
                graph(%0: float32[2, 3], %1: float32[3]) {
                  %2: float32[3] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%1)
                  %3: float32[2, 3] = Binary{fn: ADD}(%0, %2)
                  return %3
                }
                """;
        assertEquals(0, matches("add-neg-to-sub", GraphText.parse(broadcast)).size());
        assertEquals("""
                graph(%0: float32[2, 3], %1: float32[2, 3]) {
                  %2: float32[2, 3] = Binary{fn: SUB}(%0, %1)
                  return %2
                }
                """, applyOnce("add-neg-to-sub", broadcast.replace("%1: float32[3]", "%1: float32[2, 3]").replace("%2: float32[3]", "%2: float32[2, 3]")));
        // Integer tensors are not a floating $T.
        String ints = """
                graph(%0: int64[4]) {
                  %1: int64[4] = RELU(%0)
                  %2: int64[4] = RELU(%1)
                  return %2
                }
                """.replace("RELU", RELU);
        assertEquals(0, matches("relu-relu", GraphText.parse(ints)).size());
    }

    @Test
    void freeAttributesBindFromTheGraph() {
        String before = """
                graph(%0: float32[2, 3, 4]) {
                  %1: float32[4, 3, 2] = Transpose{dim0: 0, dim1: 2}(%0)
                  %2: float32[2, 3, 4] = Transpose{dim0: 0, dim1: 2}(%1)
                  %3: float32[2, 3, 4] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  return %3
                }
                """;
        assertEquals("""
                graph(%0: float32[2, 3, 4]) {
                  %1: float32[2, 3, 4] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  return %1
                }
                """, applyOnce("transpose-transpose", before));
        // Different dims in the two transposes: not this rule.
        assertEquals(0, matches("transpose-transpose", GraphText.parse(before.replace("Transpose{dim0: 0, dim1: 2}(%1)", "Transpose{dim0: 1, dim1: 2}(%1)")
                .replace("%2: float32[2, 3, 4] = Transpose", "%2: float32[4, 2, 3] = Transpose").replace("%3: float32[2, 3, 4]", "%3: float32[4, 2, 3]"))).size());
    }

    @Test
    void constAndNonNegativeConditions() {
        String scaled = """
                graph(%0: float32[5], %1: float64[]) {
                  const %2: float64[] = 3.0 wrapped "three"
                  const %3: float64[] = 2.0 wrapped "two"
                  %4: float32[5] = Binary{fn: MUL}(%0, %2)
                  %5: float32[5] = Binary{fn: MUL}(%4, %3)
                  %6: float32[5] = Binary{fn: MUL}(%0, %1)
                  %7: float32[5] = Binary{fn: MUL}(%6, %3)
                  return %5, %7
                }
                """;
        // (x·3)·2 reassociates; (x·s)·2 with s a run-time input does not. Two Java numbers multiply
        // to the default dtype, as in eager code; constant folding then makes 6.0 a Java number again.
        List<Match> ms = matches("mul-const-assoc", GraphText.parse(scaled));
        assertEquals(1, ms.size());
        assertEquals("""
                graph(%0: float32[5], %1: float64[]) {
                  const %2: float64[] = 3.0 wrapped "three"
                  const %3: float64[] = 2.0 wrapped "two"
                  %4: float32[] = Binary{fn: MUL}(%2, %3)
                  %5: float32[5] = Binary{fn: MUL}(%0, %4)
                  %6: float32[5] = Binary{fn: MUL}(%0, %1)
                  %7: float32[5] = Binary{fn: MUL}(%6, %3)
                  return %5, %7
                }
                """, applyOnce("mul-const-assoc", scaled));
        String logs = """
                graph(%0: float32[5]) {
                  %1: float32[5] = RELU(%0)
                  %2: float32[5] = Unary{fn: LOG, p0: 0.0, p1: 0.0, floatScalars: true}(%1)
                  %3: float32[5] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  %4: float32[5] = Unary{fn: LOG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %5: float32[5] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%4)
                  return %3, %5
                }
                """.replace("RELU", RELU);
        // exp(log(relu(x))) is relu(x); exp(log(x)) is NaN where x < 0, so it stays.
        List<Match> el = matches("exp-of-log", GraphText.parse(logs));
        assertEquals(1, el.size());
        assertEquals("""
                graph(%0: float32[5]) {
                  %1: float32[5] = RELU(%0)
                  %2: float32[5] = Unary{fn: LOG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %3: float32[5] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%2)
                  return %1, %3
                }
                """.replace("RELU", RELU), applyOnce("exp-of-log", logs));
    }

    @Test
    void oneValueMayStandForTwoInputs() {
        // x + (−x): %x and %y of add-neg-to-sub are the same value. (Pattern nodes still match
        // distinct graph nodes, as in TASO: exp(a)·exp(a) with one exp node is not exp-product.)
        assertEquals("""
                graph(%0: float64[3]) {
                  %1: float64[3] = Binary{fn: SUB}(%0, %0)
                  return %1
                }
                """, applyOnce("add-neg-to-sub", """
                graph(%0: float64[3]) {
                  %1: float64[3] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %2: float64[3] = Binary{fn: ADD}(%0, %1)
                  return %2
                }
                """));
        String sharedExp = """
                graph(%0: float64[3]) {
                  %1: float64[3] = Unary{fn: EXP, p0: 0.0, p1: 0.0, floatScalars: true}(%0)
                  %2: float64[3] = Binary{fn: MUL}(%1, %1)
                  return %2
                }
                """;
        assertEquals(0, matches("exp-product", GraphText.parse(sharedExp)).size());
    }

    @Test
    void theMergedConvolutionsSliceTheirChannels() {
        String conv = "Conv2d{g: {c: 3, h: 8, w: 8, k: K, oh: 8, ow: 8, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, groups: 1}}";
        String before = """
                graph(%0: float32[2, 3, 8, 8]) {
                  param %1: float32[4, 3, 3, 3] "a.weight"
                  param %2: float32[4] "a.bias"
                  param %3: float32[6, 3, 3, 3] "b.weight"
                  param %4: float32[6] "b.bias"
                  %5: float32[2, 4, 8, 8] = CONV4(%0, %1, %2)
                  %6: float32[2, 6, 8, 8] = CONV6(%0, %3, %4)
                  return %5, %6
                }
                """.replace("CONV4", conv.replace("K", "4")).replace("CONV6", conv.replace("K", "6"));
        String after = """
                graph(%0: float32[2, 3, 8, 8]) {
                  param %1: float32[4, 3, 3, 3] "a.weight"
                  param %2: float32[4] "a.bias"
                  param %3: float32[6, 3, 3, 3] "b.weight"
                  param %4: float32[6] "b.bias"
                  %5: float32[10, 3, 3, 3] = Cat{dim: 0}(%1, %3)
                  %6: float32[10] = Cat{dim: 0}(%2, %4)
                  %7: float32[2, 10, 8, 8] = CONV10(%0, %5, %6)
                  %8: float32[2, 4, 8, 8] = Slice{dim: 1, start: 0, end: 4, step: 1}(%7)
                  %9: float32[2, 6, 8, 8] = Slice{dim: 1, start: 4, end: 10, step: 1}(%7)
                  return %8, %9
                }
                """.replace("CONV10", conv.replace("K", "10"));
        assertEquals(after, applyOnce("merge-conv-shared-input", before));
        // Different kernel geometry: the symbols $KH, $PH... bind once, so no match.
        assertEquals(0, matches("merge-conv-shared-input", GraphText.parse(before.replace(conv.replace("K", "6"),
                conv.replace("K", "6").replace("kh: 3, kw: 3", "kh: 1, kw: 1").replace("ph: 1, pw: 1", "ph: 0, pw: 0"))
                .replace("%3: float32[6, 3, 3, 3]", "%3: float32[6, 3, 1, 1]"))).size());
    }

    @Test
    void listWordAndVariadicSymbolsBind() {
        // sum-of-sums binds $D = [0, 2], $k = false, $n = "sum" from the first reduction and checks the second against them.
        String reduce = "Reduce{kind: SUM, dims: [0, 2], keepDim: false, mean: false, name: \"sum\"}";
        String sums = """
                graph(%0: float32[2, 3, 4], %1: float32[2, 3, 4]) {
                  %2: float32[3] = REDUCE(%0)
                  %3: float32[3] = REDUCE(%1)
                  %4: float32[3] = Binary{fn: ADD}(%2, %3)
                  return %4
                }
                """;
        assertEquals("""
                graph(%0: float32[2, 3, 4], %1: float32[2, 3, 4]) {
                  %2: float32[2, 3, 4] = Binary{fn: ADD}(%0, %1)
                  %3: float32[3] = REDUCE(%2)
                  return %3
                }
                """.replace("REDUCE", reduce), applyOnce("sum-of-sums", sums.replace("REDUCE", reduce)));
        assertEquals(0, matches("sum-of-sums", GraphText.parse(sums.replaceFirst("REDUCE", reduce)
                .replace("REDUCE", reduce.replace("name: \"sum\"", "name: \"other\"")))).size(), "one $n, two names");
        // sum-of-expand: $*S binds [5, 6] from the input, $M = 4 from the expand; the replacement's constant is $M.
        assertEquals("""
                graph(%0: float32[1, 5, 6]) {
                  const %1: float64[] = 4.0 wrapped "rule.m"
                  %2: float32[1, 5, 6] = Binary{fn: MUL}(%0, %1)
                  return %2
                }
                """, applyOnce("sum-of-expand", """
                graph(%0: float32[1, 5, 6]) {
                  %1: float32[4, 5, 6] = Expand{shape: [4, 5, 6]}(%0)
                  %2: float32[1, 5, 6] = Reduce{kind: SUM, dims: [0], keepDim: true, mean: false, name: "sum"}(%1)
                  return %2
                }
                """));
    }
}
