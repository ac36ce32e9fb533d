package org.sinter.compress.quant.nn;

import org.sinter.compress.quant.QTensor;

/** One step of a converted model that maps a quantized activation to the next one. */
public interface QuantStage {
    QTensor forward(QTensor x);

    /** Bytes this stage stores (weights, biases, qparams): the converted model's size. */
    default long sizeBytes() { return 0; }

    /** A PyTorch-like one-line description, e.g. {@code QuantizedConv2d(1, 6, ...)}. */
    String describe();
}
