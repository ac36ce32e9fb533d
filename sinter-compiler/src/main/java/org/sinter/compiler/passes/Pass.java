package org.sinter.compiler.passes;

import org.sinter.compiler.ir.Graph;

/** One graph-to-graph transformation. It returns the graph unchanged (the same object) when nothing applied. */
public interface Pass {
    String name();

    /** The rewritten graph and a one-line account of what changed ("" when nothing did). */
    Result run(Graph g);

    record Result(Graph graph, String changes) {
        public static Result unchanged(Graph g) {
            return new Result(g, "");
        }
    }
}
