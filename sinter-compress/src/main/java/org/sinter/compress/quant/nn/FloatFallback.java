package org.sinter.compress.quant.nn;

import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.nn.Module;

/**
 * A layer with no int8 kernel, run in float32 between a dequantize and a quantize with its
 * calibrated output qparams (PyTorch places DeQuantStub / QuantStub around such layers).
 */
public final class FloatFallback implements QuantStage {
    private final Module module;
    private final QParams out;

    public FloatFallback(Module module, QParams out) {
        this.module = module;
        this.out = out;
    }

    @Override
    public QTensor forward(QTensor x) {
        return QTensor.quantize(module.forward(x.dequantize()), out);
    }

    public Module module() { return module; }

    /** The qparams its float output is quantized with. */
    public QParams outQ() { return out; }

    @Override
    public String describe() { return "FloatFallback(" + module.getClass().getSimpleName() + ", " + out + ")"; }
}
