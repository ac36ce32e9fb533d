package org.sinter.serve.runtime;

import org.sinter.Tensor;

/**
 * One instance of a loaded model: runs a whole batch. An instance is used by one thread at a time
 * (the batcher gives each instance its own worker), so implementations need no locking.
 */
public interface ModelRunner {
    /** The model's outputs for {@code input}, in the config's output order. */
    Tensor[] run(Tensor[] inputs);
}
