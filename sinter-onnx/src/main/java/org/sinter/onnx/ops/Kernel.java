package org.sinter.onnx.ops;

import org.sinter.Tensor;

/** How one ONNX operator runs: Sinter tensor operations on the node's inputs (traced into the IR when compiling). */
@FunctionalInterface
public interface Kernel {
    Tensor[] run(NodeContext node);
}
