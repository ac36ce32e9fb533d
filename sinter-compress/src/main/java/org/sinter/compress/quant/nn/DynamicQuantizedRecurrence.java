package org.sinter.compress.quant.nn;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QScheme;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.Int8Linear;
import org.sinter.compress.quant.observer.MinMaxObserver;
import org.sinter.nn.Module;
import org.sinter.nn.RNNBase;

/**
 * What PyTorch's dynamically quantized recurrent layers ({@code nn.quantized.dynamic.LSTM} and
 * {@code GRU}, made by {@code quantize_dynamic} with its default qconfig) share: every layer's and
 * direction's two weight matrices stored once as per-tensor symmetric qint8; each product quantizes
 * its input to quint8 from that input's own range (reduced range, as the x86 engines), runs the int8
 * kernel and adds the float bias — the whole sequence's input projection at once, then the hidden
 * projection step by step, as ATen's CPU path does — while the cell's gates stay float32. The
 * recurrence is {@link RNNBase}'s, so shapes, directions, batch-first and states follow the float
 * module's.
 */
abstract class DynamicQuantizedRecurrence extends Module {
    final RNNBase.Stack stack;
    /** Per layer and direction ({@code layer·D + direction}): the input and hidden products. */
    private final List<Int8Linear[]> kernels = new ArrayList<>();
    private final long bytes;
    private final RNNBase.Projections int8 = new RNNBase.Projections() {
        @Override public Tensor input(int index, Tensor x) { return dynamic(kernels.get(index)[0], x); }
        @Override public Tensor hidden(int index, Tensor h) { return dynamic(kernels.get(index)[1], h); }
    };

    DynamicQuantizedRecurrence(RNNBase layer) {
        stack = layer.stack();
        long b = 0;
        for (int l = 0; l < layer.numLayers; l++) {
            for (int d = 0; d < layer.directions(); d++) {
                Tensor[] w = layer.layerWeights(l, d == 1);
                kernels.add(new Int8Linear[] {kernel(w[0], w[2]), kernel(w[1], w[3])});
                b += w[0].numel() + w[1].numel() + 2 * 4L + (w[2] == null ? 0 : 4L * (w[2].numel() + w[3].numel()));
            }
        }
        bytes = b;
        training = false;
    }

    /** A weight as per-tensor symmetric qint8 (PyTorch's default weight observer) with its float bias. */
    private static Int8Linear kernel(Tensor weight, Tensor bias) {
        MinMaxObserver obs = new MinMaxObserver(QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false);
        obs.forward(weight);
        return new Int8Linear(QTensor.quantize(weight, obs.calculateQparams()), bias == null ? null : bias.toFloatArray());
    }

    /** {@code x} (…, K) through {@code k}: its input quantized from its own range, the result float (…, N). */
    private static Tensor dynamic(Int8Linear k, Tensor x) {
        int[] shape = x.shape();
        MinMaxObserver obs = new MinMaxObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true);
        obs.forward(x);
        QParams q = obs.calculateQparams();
        float[] y = k.forwardFloat(QTensor.quantize(x.reshape((int) (x.numel() / k.inFeatures()), k.inFeatures()), q), false);
        shape[shape.length - 1] = k.outFeatures();
        return Tensor.of(y, shape);
    }

    /** The recurrence with the int8 products and {@code cell}. */
    RNNBase.Result run(Tensor input, Tensor h0, Tensor c0, RNNBase.Cell cell) {
        return RNNBase.run(stack, input, h0, c0, false, int8, cell);
    }

    /** Bytes of the int8 weights, their scales and the float biases. */
    public long sizeBytes() { return bytes; }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + stack.inputSize() + ", " + stack.hiddenSize() + ", num_layers=" + stack.numLayers()
                + (stack.bidirectional() ? ", bidirectional=True" : "") + (stack.batchFirst() ? ", batch_first=True" : "") + ", dtype=torch.qint8)";
    }
}
