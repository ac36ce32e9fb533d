package org.sinter.testing;

import org.sinter.Tensor;

/**
 * The Sinter call an op key stands for: the inputs in the order the fixture lists them (self
 * first), the case's attributes, and every output in PyTorch's order. Each module keeps its table
 * of these (sinter-core's ReferenceOps, sinter-nn's NnReferenceOps).
 */
@FunctionalInterface
public interface OpCall {
    Tensor[] apply(Tensor[] inputs, Attrs attrs);
}
