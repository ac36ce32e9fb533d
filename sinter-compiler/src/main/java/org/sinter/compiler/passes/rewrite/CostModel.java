package org.sinter.compiler.passes.rewrite;

import org.sinter.compiler.ir.Graph;

/** What the substitution search minimises: an estimate of a graph's run time, in seconds. */
@FunctionalInterface
public interface CostModel {
    double cost(Graph g);
}
