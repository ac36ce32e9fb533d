package org.sinter.compress.sparse;

import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/**
 * Turns a pruned model into its inference form with sparse layers: every Linear becomes a
 * {@link SparseLinear} and every Conv2d a {@link SparseConv2d}, each of which picks dense or sparse
 * kernels by measurement on its first input. Containers are rebuilt as Sequential (the shape every
 * zoo model that pruning targets has); other layers are kept as they are.
 */
public final class Sparsifier {
    private Sparsifier() {}

    public static Module sparsify(Module model, KernelChooser chooser) {
        Module out;
        if (model instanceof Linear l) out = new SparseLinear(l, chooser);
        else if (model instanceof Conv2d c) out = new SparseConv2d(c, chooser);
        else if (model instanceof Sequential s) {
            Sequential rebuilt = new Sequential();
            for (Module m : s) rebuilt.add(sparsify(m, chooser));
            out = rebuilt;
        } else if (model.children().isEmpty()) {
            out = model;
        } else {
            throw new IllegalArgumentException("sparsify: cannot rebuild " + model.getClass().getSimpleName()
                    + " (its forward is its own code); sparsify its Linear/Conv2d layers or express it as a Sequential");
        }
        out.eval();
        return out;
    }
}
