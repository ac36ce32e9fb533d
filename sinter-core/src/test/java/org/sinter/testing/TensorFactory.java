package org.sinter.testing;

import org.sinter.Device;
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

    /**
     * Meta tensors: the data's dtype and shape on {@link Device#META}, no values. Fixture cases run
     * on these check the meta functions (what a tracer runs on) against PyTorch's shapes and dtypes.
     */
    TensorFactory META = data -> Tensor.empty(data.dtype(), Device.META, data.shape());

    /** A new contiguous tensor of {@code data}'s dtype and shape holding its values, not requiring grad. */
    Tensor create(TensorData data);
}
