package org.sinter.compiler.passes.rewrite;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.compiler.ir.OpCodec;
import org.sinter.ops.Op;

/**
 * A rewrite rule: a pattern graph and a replacement graph over the same named inputs, with the
 * conditions under which one may stand for the other (TASO's graph substitutions, written by hand
 * rather than generated). Rules are written in the text form {@link RuleParser} reads:
 *
 * <pre>
 * rule relu-relu
 *   doc ReLU is idempotent.
 *   pattern(%x: $T[$*S]) {
 *     %r = Unary{fn: RELU, p0: 0.0, p1: 0.0, floatScalars: true}(%x)
 *     %y = Unary{fn: RELU, p0: 0.0, p1: 0.0, floatScalars: true}(%r)
 *     return %y
 *   }
 *   replacement {
 *     %y = Unary{fn: RELU, p0: 0.0, p1: 0.0, floatScalars: true}(%x)
 *     return %y
 *   }
 * </pre>
 *
 * A rule is only used after {@link RuleVerifier} has found pattern and replacement equal on random
 * inputs.
 */
public final class Rule {
    private final String name;
    private final String doc;
    private final String text;
    final TemplateGraph pattern;
    final TemplateGraph replacement;
    final List<Constraint> where;
    final List<Sample> samples;
    final boolean allowEscape;
    /** Symbols that stand for a dtype (they bind floating dtypes only). */
    final Set<String> dtypeSymbols;
    final MatchPlan plan;
    /** The pattern's ops that have no symbols, parsed once: the matcher compares them while placing nodes. */
    final Map<TemplateGraph.NodeLine, Op> literalOps = new IdentityHashMap<>();

    Rule(String name, String doc, String text, TemplateGraph pattern, TemplateGraph replacement, List<Constraint> where, List<Sample> samples,
         boolean allowEscape) {
        this.name = name;
        this.doc = doc;
        this.text = text;
        this.pattern = pattern;
        this.replacement = replacement;
        this.where = List.copyOf(where);
        this.samples = List.copyOf(samples);
        this.allowEscape = allowEscape;
        if (pattern.nodes().isEmpty()) throw error("the pattern has no nodes");
        if (pattern.items.size() != pattern.nodes().size()) throw error("patterns cannot hold constants; use 'where const %x' on an input");
        for (TemplateGraph.Input in : pattern.inputs) {
            if (pattern.nodes().stream().noneMatch(n -> n.args().contains(in.name()))) throw error("no pattern node reads the input " + in.name());
        }
        for (String r : pattern.returns) if (pattern.producer(r) == null) throw error("the pattern returns " + r + ", which no pattern node computes");
        if (replacement.returns.size() != pattern.returns.size()) {
            throw error("the pattern returns " + pattern.returns.size() + " values, the replacement " + replacement.returns.size());
        }
        Set<String> dt = new HashSet<>();
        for (TemplateGraph.Input in : pattern.inputs) {
            String d = in.spec().substring(0, Math.max(0, in.spec().indexOf('['))).strip();
            if (d.startsWith("$")) dt.add(d.substring(1));
        }
        this.dtypeSymbols = Set.copyOf(dt);
        this.plan = MatchPlan.of(this);
        for (TemplateGraph.NodeLine n : pattern.nodes()) {
            if (n.op().indexOf('$') >= 0) continue;
            try {
                literalOps.put(n, OpCodec.parse(n.op()));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }
    }

    /** Parses one rule in the text form; errors name the rule and the line. */
    public static Rule parse(String text) {
        List<Rule> rules = RuleParser.parse(text, "rule text");
        if (rules.size() != 1) throw new IllegalArgumentException("expected one rule, got " + rules.size());
        return rules.get(0);
    }

    public String name() { return name; }

    /** What the rule does and why it is right, in a sentence. */
    public String doc() { return doc; }

    /** The rule as written. */
    public String text() { return text; }

    IllegalArgumentException error(String what) {
        return new IllegalArgumentException("rule " + name + ": " + what);
    }

    @Override
    public String toString() {
        return name;
    }
}
