package org.sinter.compiler.passes;

import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphCopy;

/**
 * Turns the graph's bound parameters into constants ({@code torch.jit.freeze}): for inference whose
 * caller promises the weights will not change, so later passes fold weight-only work and the
 * code generator packs weights into the layouts its kernels read, once, at compile time.
 * Parameters the graph writes (buffers updated in training mode) stay parameters.
 */
public final class FreezeParameters implements Pass {
    @Override public String name() { return "freeze parameters"; }

    @Override
    public Result run(Graph g) {
        long frozen = g.parameters().entrySet().stream()
                .filter(e -> !e.getValue().constant() && e.getValue().tensor() != null && !g.updates().containsKey(e.getKey())).count();
        if (frozen == 0) return Result.unchanged(g);
        return new Result(GraphCopy.copy(g, null, (i, op) -> op, true), "froze " + frozen + " parameter" + (frozen == 1 ? "" : "s"));
    }
}
