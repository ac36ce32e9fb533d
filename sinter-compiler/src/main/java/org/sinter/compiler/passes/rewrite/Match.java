package org.sinter.compiler.passes.rewrite;

import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * One place a rule applies: the graph value each pattern name stands for, the graph nodes the
 * pattern's nodes matched (in the pattern's order) and the binding of the rule's symbols.
 */
record Match(Rule rule, Binding binding, Map<String, Value> values, List<Node> nodes) {
    /** The graph values the pattern returns, which the replacement's results stand in for. */
    List<Value> results() {
        return rule.pattern.returns.stream().map(values::get).toList();
    }
}
