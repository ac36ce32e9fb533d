package org.sinter.nn.functional;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.ops.NnOps;

/**
 * Argument handling of embedding lookup; the lookup and its gradient are core primitives
 * ({@link NnOps.Embedding}, {@link NnOps.EmbeddingBackward}), each other's gradients.
 */
final class EmbeddingOps {
    private EmbeddingOps() {}

    /** Marks "no padding index" (PyTorch's None). */
    static final int NO_PADDING = NnOps.Embedding.NO_PADDING;

    static Tensor embedding(Tensor weight, Tensor indices, int paddingIdx) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("embedding: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got "
                    + indices.dtype().torchName() + " instead");
        }
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding: 'weight' must be 2-D, got " + Arrays.toString(weight.shape()));
        int v = weight.size(0);
        int pad = paddingIdx;
        if (pad != NO_PADDING) {
            if (pad >= v || pad < -v) {
                throw new IllegalArgumentException("embedding: Padding_idx must be within num_embeddings, got " + paddingIdx + " for " + v + " embeddings");
            }
            if (pad < 0) pad += v;
        }
        return NnOps.embedding(weight, indices, pad);
    }

}
