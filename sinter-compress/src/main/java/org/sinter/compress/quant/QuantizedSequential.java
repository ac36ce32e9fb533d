package org.sinter.compress.quant;

import java.util.List;
import org.sinter.Tensor;
import org.sinter.compress.quant.nn.QuantStage;
import org.sinter.compress.quant.nn.QuantizedLinear;
import org.sinter.nn.Module;

/**
 * A converted model: the float input is quantized once, the layers run on int8 and stay int8
 * between them, and the last linear layer dequantizes in its epilogue (or the activations are
 * dequantized after the last quantized stage); float-only layers at the end (LogSoftmax) follow.
 */
public final class QuantizedSequential extends Module {
    private final QParams input;
    private final List<QuantStage> stages;
    private final QuantizedLinear last;
    private final List<Module> tail;

    QuantizedSequential(QParams input, List<QuantStage> stages, QuantizedLinear last, List<Module> tail) {
        this.input = input;
        this.stages = List.copyOf(stages);
        this.last = last;
        this.tail = List.copyOf(tail);
        training = false;
    }

    @Override
    public Tensor forward(Tensor x) {
        QTensor q = QTensor.quantize(x, input);
        for (QuantStage s : stages) q = s.forward(q);
        Tensor y = last != null ? last.forwardFloat(q) : q.dequantize();
        for (Module m : tail) y = m.forward(y);
        return y;
    }

    /** Bytes of weights, biases and qparams. */
    public long sizeBytes() {
        long b = 8;
        for (QuantStage s : stages) b += s.sizeBytes();
        if (last != null) b += last.sizeBytes();
        return b;
    }

    public QParams inputQparams() { return input; }

    /** The int8 stages between the input's quantization and the last layer, in order. */
    public List<QuantStage> stages() { return stages; }

    /** The last Linear, which outputs float32, or null when the stages end quantized. */
    public QuantizedLinear last() { return last; }

    /** The float modules after the last quantized layer (LogSoftmax). */
    public List<Module> tail() { return tail; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("QuantizedSequential(\n  (quant): Quantize(" + input + ")\n");
        for (QuantStage s : stages) sb.append("  ").append(s.describe()).append('\n');
        if (last != null) sb.append("  ").append(last.describe()).append('\n');
        for (Module m : tail) sb.append("  ").append(m).append('\n');
        return sb.append(")").toString();
    }
}
