package org.sinter.compress.quant.nn;

import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QScheme;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.Int8Linear;
import org.sinter.compress.quant.observer.MinMaxObserver;
import org.sinter.compress.quant.observer.PerChannelMinMaxObserver;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;

/**
 * Dynamically quantized linear layer (PyTorch's {@code nn.quantized.dynamic.Linear}): int8
 * per-channel weights stored once; each call measures its input's range, quantizes it to quint8
 * (reduced range, as PyTorch's x86 engine), runs the int8 kernel and returns float32.
 */
public final class DynamicQuantizedLinear extends Module {
    private final Int8Linear kernel;
    private final int in, out;
    private final long bytes;

    public DynamicQuantizedLinear(Linear linear) {
        PerChannelMinMaxObserver w = new PerChannelMinMaxObserver();
        w.forward(linear.weight);
        QTensor wq = QTensor.quantize(linear.weight, w.calculateQparams());
        kernel = new Int8Linear(wq, linear.bias == null ? null : linear.bias.toFloatArray());
        in = linear.inFeatures;
        out = linear.outFeatures;
        bytes = wq.data().length + 4L * out * (linear.bias == null ? 2 : 3);
        training = false;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] shape = x.shape();
        if (shape.length == 0 || shape[shape.length - 1] != in) {
            throw new IllegalArgumentException("DynamicQuantizedLinear(" + in + ", " + out + "): input must end in " + in + ", got " + Arrays.toString(shape));
        }
        MinMaxObserver obs = new MinMaxObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true);
        obs.forward(x);
        QParams q = obs.calculateQparams();
        QTensor xq = QTensor.quantize(x.reshape((int) (x.numel() / in), in), q);
        float[] y = kernel.forwardFloat(xq, false);
        shape[shape.length - 1] = out;
        return Tensor.of(y, shape);
    }

    public long sizeBytes() { return bytes; }

    @Override
    public String toString() {
        return "DynamicQuantizedLinear(in_features=" + in + ", out_features=" + out + ", dtype=torch.qint8, qscheme=per_channel_symmetric)";
    }
}
