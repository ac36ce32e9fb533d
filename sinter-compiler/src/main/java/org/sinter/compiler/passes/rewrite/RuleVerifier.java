package org.sinter.compiler.passes.rewrite;

import java.util.List;
import java.util.SplittableRandom;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.runtime.Interpreter;

/**
 * Checks that a rule's pattern and replacement compute the same thing before the rule is used, as
 * TASO does: for several random bindings of its symbols (sizes, ranks, attributes; dtypes are
 * float64) it instantiates both sides, feeds them the same random inputs and compares every result
 * element with a relative tolerance through the {@link Interpreter}. Random testing is not a proof
 * (TASO adds an SMT check of operator axioms); a wrong rule still fails here in practice, because
 * a wrong rewrite is wrong almost everywhere.
 */
public final class RuleVerifier {
    /** Bindings tried per rule, each with fresh inputs. */
    static final int TRIALS = 8;
    /** Elements agree when |a − b| ≤ ATOL + RTOL·max(|a|, |b|): float64 reassociation stays far inside. */
    static final double RTOL = 1e-9, ATOL = 1e-12;
    private static final int SAMPLING_TRIES = 1000;

    private RuleVerifier() {}

    /** What verification saw: the trials run and the largest differences between pattern and replacement. */
    public record Report(Rule rule, int trials, double maxAbsDifference, double maxRelDifference) {}

    /** Verifies {@code rule}; IllegalArgumentException naming the rule, the largest difference and the binding when it is wrong. */
    public static Report verify(Rule rule) {
        double maxAbs = 0, maxRel = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            SplittableRandom rnd = new SplittableRandom(rule.name().hashCode() * 1_000_003L + trial);
            Binding b = sample(rule, rnd);
            TemplateGraph.Instance p, r;
            try {
                p = rule.pattern.instantiate(b);
                r = rule.replacement.instantiate(b);
            } catch (IllegalArgumentException e) {
                throw rule.error("rejected: cannot instantiate it for " + b + ": " + e.getMessage());
            }
            Tensor[] inputs = inputs(rule, p.graph(), rnd);
            Tensor[] expected, actual;
            try (var _ = Sinter.noGrad()) {
                expected = Interpreter.run(p.graph(), inputs);
                actual = Interpreter.run(r.graph(), inputs);
            }
            for (int k = 0; k < expected.length; k++) {
                String where = "result " + k + " for " + b;
                if (!expected[k].dtype().equals(actual[k].dtype()) || !java.util.Arrays.equals(expected[k].shape(), actual[k].shape())) {
                    throw rule.error("rejected: " + where + " is " + expected[k].describe() + " in the pattern but " + actual[k].describe()
                            + " in the replacement");
                }
                double[] e = expected[k].toDoubleArray(), a = actual[k].toDoubleArray();
                double worstAbs = 0, worstRel = 0;
                boolean ok = true;
                for (int i = 0; i < e.length; i++) {
                    if (e[i] == a[i] || (Double.isNaN(e[i]) && Double.isNaN(a[i]))) continue;
                    double diff = Math.abs(e[i] - a[i]), scale = Math.max(Math.abs(e[i]), Math.abs(a[i]));
                    double rel = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / scale;
                    worstAbs = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(worstAbs, diff);
                    worstRel = Math.max(worstRel, rel);
                    ok &= diff <= ATOL + RTOL * scale;
                }
                if (!ok) {
                    throw rule.error(String.format(java.util.Locale.ROOT,
                            "rejected: pattern and replacement differ by up to %.3g (relative %.3g) at %s", worstAbs, worstRel, where));
                }
                maxAbs = Math.max(maxAbs, worstAbs);
                maxRel = Math.max(maxRel, worstRel);
            }
        }
        return new Report(rule, TRIALS, maxAbs, maxRel);
    }

    /**
     * A binding for one trial: dtypes float64, the input shapes' symbols 1..4 (a {@code $*S} of
     * rank 0..3) unless a {@code sample} line says otherwise, then the sample lines in order,
     * retried until the {@code where} comparisons hold.
     */
    static Binding sample(Rule rule, SplittableRandom rnd) {
        List<String> bySample = rule.samples.stream().map(Sample::symbol).toList();
        for (int attempt = 0; attempt < SAMPLING_TRIES; attempt++) {
            Binding b = new Binding();
            for (String t : rule.dtypeSymbols) b.put(t, "float64");
            for (TemplateGraph.Input in : rule.pattern.inputs) {
                for (TemplateText.Token t : TemplateText.tokenize(in.spec())) {
                    String name = t.text().substring(t.kind() == TemplateText.Kind.VARIADIC ? 2 : 1);
                    if (bySample.contains(name) || b.has(name)) continue;
                    if (t.kind() == TemplateText.Kind.SYMBOL) b.put(name, 1L + rnd.nextInt(4));
                    else if (t.kind() == TemplateText.Kind.VARIADIC) b.put(name, Sample.shape(rnd, rnd.nextInt(4)));
                }
            }
            for (Sample s : rule.samples) {
                try {
                    s.apply(b, rnd);
                } catch (IllegalArgumentException e) {
                    throw rule.error("sample line for $" + s.symbol() + ": " + e.getMessage());
                }
            }
            boolean holds = true;
            for (Constraint c : rule.where) {
                try {
                    if (c instanceof Constraint.Compare cmp) holds &= cmp.holds(b);
                } catch (IllegalArgumentException e) {
                    throw rule.error("where " + cmp(c) + ": " + e.getMessage());
                }
            }
            if (holds) return b;
        }
        throw rule.error("no sampled binding satisfies its where conditions in " + SAMPLING_TRIES + " tries");
    }

    private static String cmp(Constraint c) {
        return c instanceof Constraint.Compare(String l, String op, String r) ? l + " " + op + " " + r : c.toString();
    }

    /** Random inputs for the pattern's inputs: uniform in [−2, 2], or [0, 2] for a {@code nonnegative} one; integers in [−4, 4]. */
    private static Tensor[] inputs(Rule rule, Graph p, SplittableRandom rnd) {
        Tensor[] in = new Tensor[p.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            String name = rule.pattern.inputs.get(i).name();
            boolean nonNegative = rule.where.stream().anyMatch(c -> c instanceof Constraint.NonNegative(String n) && n.equals(name));
            int[] shape = p.inputs().get(i).shape();
            DType dt = p.inputs().get(i).dtype();
            double[] v = new double[Math.toIntExact(org.sinter.Shape.numelLong(shape))];
            for (int k = 0; k < v.length; k++) {
                v[k] = dt.isFloatingPoint() ? (nonNegative ? rnd.nextDouble(0, 2) : rnd.nextDouble(-2, 2)) : rnd.nextInt(nonNegative ? 0 : -4, 5);
            }
            Tensor t = shape.length == 0 ? Tensor.scalar(v[0], DType.FLOAT64) : Tensor.of(v, shape);
            in[i] = dt == DType.FLOAT64 ? t : t.to(dt);
        }
        return in;
    }
}
