package org.sinter.privacy.federated;

import org.sinter.DType;
import org.sinter.Tensor;

/** One client's local examples: inputs {@code [n, …]} (float32) and int64 class labels {@code [n]}. */
public record ClientData(Tensor inputs, Tensor labels) {
    public ClientData {
        if (inputs.shape().length < 1 || labels.shape().length != 1 || inputs.shape()[0] != labels.shape()[0]) {
            throw new IllegalArgumentException("ClientData: inputs " + java.util.Arrays.toString(inputs.shape()) + " and labels "
                    + java.util.Arrays.toString(labels.shape()) + " must share the first dimension");
        }
        if (labels.dtype() != DType.INT64) throw new IllegalArgumentException("ClientData: labels must be int64, got " + labels.dtype());
    }

    public int size() {
        return inputs.shape()[0];
    }

    /** The rows {@code indices} of a larger dataset, copied. */
    public static ClientData select(Tensor inputs, Tensor labels, int[] indices) {
        long[] idx = new long[indices.length];
        for (int i = 0; i < idx.length; i++) idx[i] = indices[i];
        Tensor index = Tensor.of(idx, idx.length);
        return new ClientData(inputs.indexSelect(0, index).contiguous(), labels.indexSelect(0, index).contiguous());
    }
}
