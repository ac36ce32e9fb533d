package org.sinter.ops;

import org.sinter.SavedContext;
import org.sinter.Tensor;

/**
 * An op whose attributes include programs: control flow ({@code cond}'s branches, a loop's body),
 * which the graph compiler defines because it owns programs (PyTorch's higher-order operators,
 * JAX's {@code cond_p} holding jaxprs). Eager code never makes one: {@link org.sinter.ControlFlow}
 * runs the Java branch or loop directly. They appear in traced graphs, run on the meta backend
 * while a tracer records, and are dispatched whole when a graph runs one op at a time.
 */
public non-sealed interface HigherOrderOp extends Op {
    /** Runs the op on real tensors: its programs run op by op through the engine. */
    Tensor[] run(Tensor... inputs);

    /** Gradients of the inputs (null where none) from the outputs' gradients (null entries: no gradient reached that output). */
    Tensor[] backward(SavedContext ctx, Tensor... grads);
}
