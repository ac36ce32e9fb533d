package org.sinter.testing;

import org.sinter.Tensor;

/**
 * How the harness turns fixture values into Sinter tensors: the one place that decides where a
 * test's inputs, leaves and upstream gradients live. Every tensor a check feeds to an op comes
 * from here (views of it are made with ordinary tensor ops), so the same fixture cases can run on
 * another backend by passing another factory; {@link #CPU} is today's.
 */
@FunctionalInterface
public interface TensorFactory {

    /** Sinter's default CPU tensors. */
    TensorFactory CPU = new CpuTensorFactory();

    /** A new contiguous tensor of {@code data}'s dtype and shape holding its values, not requiring grad. */
    Tensor create(TensorData data);
}
