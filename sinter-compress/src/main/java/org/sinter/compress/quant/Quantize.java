package org.sinter.compress.quant;

import java.util.ArrayList;
import java.util.List;
import org.sinter.DType;
import org.sinter.compress.quant.nn.DynamicQuantizedGRU;
import org.sinter.compress.quant.nn.DynamicQuantizedLSTM;
import org.sinter.compress.quant.nn.DynamicQuantizedLinear;
import org.sinter.compress.quant.nn.FloatFallback;
import org.sinter.compress.quant.nn.HalfWeightLayer;
import org.sinter.compress.quant.nn.QuantStage;
import org.sinter.compress.quant.nn.QuantizedBasicBlock;
import org.sinter.compress.quant.nn.QuantizedGlobalAvgPool2d;
import org.sinter.compress.quant.nn.QuantizedConv2d;
import org.sinter.compress.quant.nn.QuantizedLinear;
import org.sinter.compress.quant.nn.QuantizedMaxPool2d;
import org.sinter.compress.quant.nn.QuantizedReLU;
import org.sinter.compress.quant.nn.QuantizedReshape;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.models.ResNet18;

/**
 * Post-training static quantization, PyTorch's eager-mode workflow:
 * <pre>{@code
 * PreparedModel p = Quantize.prepare(model, QConfig.defaultQConfig());
 * p.calibrate(batches);                       // observers record activation ranges
 * QuantizedSequential q = Quantize.convert(p); // int8 kernels end to end
 * }</pre>
 */
public final class Quantize {
    private Quantize() {}

    /** Folds batch norms, fuses ReLUs and inserts observers (the model is put in eval mode). */
    public static PreparedModel prepare(Sequential model, QConfig qconfig) {
        return PreparedModel.of(model, qconfig, false);
    }

    /**
     * PyTorch's {@code prepare_qat}: batch norms are folded (with their running statistics frozen)
     * and the model trains with fake quantization of inputs, weights (per channel, from their
     * current values) and layer outputs (moving-average observers); gradients pass by the
     * straight-through estimator. Train {@code parameters()} of the result, then {@link #convert}.
     */
    public static PreparedModel prepareQat(Sequential model, QConfig qconfig) {
        PreparedModel p = PreparedModel.of(model, qconfig, true);
        p.train();
        return p;
    }

    /** Replaces each unit by its int8 counterpart with the calibrated qparams. */
    public static QuantizedSequential convert(PreparedModel p) {
        QParams in = p.input.calculateQparams();
        List<QuantStage> stages = new ArrayList<>();
        QuantizedLinear last = null;
        List<Module> tail = new ArrayList<>(p.tail);
        for (PreparedModel.Unit u : p.units) {
            switch (u) {
                case PreparedModel.Compute c -> {
                    QParams outQ = c.out() == null ? null : c.out().calculateQparams();
                    if (c.layer() instanceof Linear l) {
                        QuantizedLinear q = new QuantizedLinear(quantizeWeight(l.weight, c), floats(l.bias), c.relu(), outQ);
                        if (outQ == null) last = q;
                        else stages.add(q);
                    } else {
                        Conv2d conv = c.layer() instanceof org.sinter.compress.quant.qat.ConvBn2d cb ? cb.folded() : (Conv2d) c.layer();
                        QParams o = outQ;
                        if (o == null) { // a convolution last: requantize over its own observed range is unknown, so calibrate it as float output
                            throw new IllegalArgumentException("the last quantized layer must be a Linear (a model ending in a Conv2d is not supported yet)");
                        }
                        stages.add(new QuantizedConv2d(quantizeWeight(conv.weight, c), floats(conv.bias), conv.stride, conv.padding, conv.dilation, c.relu(), o));
                    }
                }
                case PreparedModel.PassThrough t -> {
                    Module m = t.layer();
                    if (m instanceof MaxPool2d mp) stages.add(new QuantizedMaxPool2d(mp.kernelSize, mp.stride, mp.padding, mp.dilation, mp.ceilMode));
                    else if (m instanceof Flatten f) stages.add(new QuantizedReshape(f.startDim, f.endDim));
                    else if (m instanceof ReLU) stages.add(new QuantizedReLU());
                    // Dropout (eval) and Identity vanish.
                }
                case PreparedModel.Fallback f -> stages.add(new FloatFallback(f.layer(), f.out().calculateQparams()));
            }
        }
        return new QuantizedSequential(in, stages, last, tail);
    }

    /**
     * Prepares a ResNet-18 for post-training static quantization (torchvision's quantizable
     * ResNet: batch norms folded, ReLUs fused, observers on every convolution output and on each
     * residual sum, whose quantized add gets its own scale).
     */
    public static PreparedResNet prepare(ResNet18 model, QConfig qconfig) {
        return PreparedResNet.of(model, qconfig, false);
    }

    /**
     * PyTorch's {@code prepare_qat} after {@code fuse_model} for ResNet-18: each convolution trains
     * with its batch norm ({@link org.sinter.compress.quant.qat.ConvBn2d}, folded at convert), and the
     * forward fake-quantizes the input, every convolution output, shortcut and residual sum and every
     * weight (per channel, from its current values), passing gradients by the straight-through
     * estimator. {@code model}'s layers are trained in place: train {@code parameters()} of the
     * result, then {@link #convert(PreparedResNet)} to the same int8 model as post-training quantization.
     */
    public static PreparedResNet prepareQat(ResNet18 model, QConfig qconfig) {
        PreparedResNet p = PreparedResNet.of(model, qconfig, true);
        p.train();
        return p;
    }

    /**
     * The int8 ResNet: quantized stem convolution and max pooling, eight {@link QuantizedBasicBlock}s,
     * global average pooling on the bytes, and the classifier dequantizing in its epilogue.
     */
    public static QuantizedSequential convert(PreparedResNet p) {
        List<QuantStage> stages = new ArrayList<>();
        stages.add(quantizedConv(p.stem));
        MaxPool2d mp = p.pool;
        stages.add(new QuantizedMaxPool2d(mp.kernelSize, mp.stride, mp.padding, mp.dilation, mp.ceilMode));
        for (PreparedResNet.ObservedBlock b : p.blocks) {
            stages.add(new QuantizedBasicBlock(quantizedConv(b.conv1()), quantizedConv(b.conv2()),
                    b.downsample() == null ? null : quantizedConv(b.downsample()), b.add().calculateQparams()));
        }
        stages.add(new QuantizedGlobalAvgPool2d());
        stages.add(new QuantizedReshape(1, -1));
        QuantizedLinear fc = new QuantizedLinear(quantizeWeight(p.fc.weight, p.fcWeight), floats(p.fc.bias), false, null);
        return new QuantizedSequential(p.input.calculateQparams(), stages, fc, List.of());
    }

    /** prepare, calibrate, convert a ResNet-18 in one call. */
    public static QuantizedSequential quantizeStatic(ResNet18 model, QConfig qconfig, Iterable<org.sinter.Tensor> calibration) {
        return convert(prepare(model, qconfig).calibrate(calibration));
    }

    private static QuantizedConv2d quantizedConv(PreparedResNet.ObservedConv c) {
        Conv2d conv = c.conv();
        return new QuantizedConv2d(quantizeWeight(conv.weight, c.weight()), floats(conv.bias), conv.stride, conv.padding, conv.dilation, c.relu(),
                c.out().calculateQparams());
    }

    /** prepare, calibrate, convert in one call. */
    public static QuantizedSequential quantizeStatic(Sequential model, QConfig qconfig, Iterable<org.sinter.Tensor> calibration) {
        return convert(prepare(model, qconfig).calibrate(calibration));
    }

    /**
     * PyTorch's {@code quantize_dynamic}: a copy of {@code model} whose Linear, LSTM and GRU layers hold int8
     * weights and quantize their inputs on the fly; other layers are shared with {@code model}.
     */
    public static Sequential quantizeDynamic(Sequential model) {
        Sequential out = new Sequential();
        for (Module m : model) {
            out.add(switch (m) {
                case Linear l -> new DynamicQuantizedLinear(l);
                case org.sinter.nn.LSTM lstm -> new DynamicQuantizedLSTM(lstm);
                case org.sinter.nn.GRU gru -> new DynamicQuantizedGRU(gru);
                default -> m;
            });
        }
        out.eval();
        return out;
    }

    /** A copy of {@code model} whose Linear and Conv2d weights are stored in float16 or bfloat16. */
    public static Sequential toHalf(Sequential model, DType dtype) {
        Sequential out = new Sequential();
        for (Module m : model) out.add(m instanceof Linear || m instanceof Conv2d ? new HalfWeightLayer(m, dtype) : m);
        out.eval();
        return out;
    }

    /**
     * Bytes of a model's parameters, with the converted layers' own sizes (int8 weights and scales,
     * 16-bit weights, sparse layers in CSR form).
     */
    public static long sizeBytes(Module model) {
        if (model instanceof QuantizedSequential q) return q.sizeBytes();
        long b = 0;
        for (Module m : model.modules()) {
            if (m instanceof DynamicQuantizedLinear d) b += d.sizeBytes();
            else if (m instanceof DynamicQuantizedLSTM d) b += d.sizeBytes();
            else if (m instanceof DynamicQuantizedGRU d) b += d.sizeBytes();
            else if (m instanceof HalfWeightLayer h) b += h.sizeBytes();
            else if (m instanceof org.sinter.compress.sparse.SparseLinear s) b += s.sizeBytes();
            else if (m instanceof org.sinter.compress.sparse.SparseConv2d s) b += s.sizeBytes();
        }
        for (org.sinter.Tensor t : model.parameters()) b += t.numel() * t.dtype().itemSize();
        return b;
    }

    private static QTensor quantizeWeight(org.sinter.Tensor w, PreparedModel.Compute c) {
        return quantizeWeight(w, c.weight());
    }

    private static QTensor quantizeWeight(org.sinter.Tensor w, org.sinter.compress.quant.observer.Observer observer) {
        observer.forward(w);
        return QTensor.quantize(w, observer.calculateQparams());
    }

    static float[] floats(org.sinter.Tensor t) {
        return t == null ? null : t.toFloatArray();
    }
}
