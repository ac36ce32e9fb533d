package org.sinter.compress.quant;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.observer.Observer;
import org.sinter.compress.quant.qat.ConvBn2d;
import org.sinter.compress.quant.qat.FakeQuant;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Identity;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;

/**
 * A float model with observers in place (what PyTorch's {@code prepare} returns): batch norms are
 * folded into their convolutions (for QAT, trained with them as {@link ConvBn2d} and folded at
 * convert), each Conv2d/Linear (with a following ReLU fused) is a unit whose
 * output an activation observer records, and the model input has its own observer. Running it on
 * calibration data ({@link #forward}) computes the float result and records the statistics that
 * {@link Quantize#convert} turns into qparams.
 */
public final class PreparedModel extends Module {
    /** One step of the model, in order. */
    sealed interface Unit permits Compute, PassThrough, Fallback {}

    /** A Conv2d or Linear (BN folded), optionally followed by a fused ReLU; {@code out} is null for the last one. */
    record Compute(Module layer, boolean relu, Observer weight, Observer out) implements Unit {}

    /** A layer that keeps its input's qparams: max pooling, flatten, ReLU, dropout (eval), identity. */
    record PassThrough(Module layer) implements Unit {}

    /** A layer with no int8 kernel, run in float between dequantize and quantize. */
    record Fallback(Module layer, Observer out) implements Unit {}

    final Observer input;
    final List<Unit> units;
    /** Float layers after the last Conv2d/Linear (e.g. LogSoftmax): they run on its float output. */
    final List<Module> tail;
    /** Quantization-aware training: the forward fake-quantizes inputs, weights and unit outputs. */
    final boolean qat;
    private final QConfig qconfig;

    @SuppressWarnings("this-escape") // registers the layers as children, so parameters() reaches them for QAT
    PreparedModel(Observer input, List<Unit> units, List<Module> tail, boolean qat, QConfig qconfig) {
        this.input = input;
        this.units = units;
        this.tail = tail;
        this.qat = qat;
        this.qconfig = qconfig;
        for (int i = 0; i < units.size(); i++) {
            Module m = switch (units.get(i)) {
                case Compute c -> c.layer();
                case PassThrough p -> p.layer();
                case Fallback f -> f.layer();
            };
            registerModule("unit" + i, m);
        }
        training = false;
    }

    /** Builds the observed model; {@code model}'s layers are shared, not copied (BN-folded convolutions are new). */
    static PreparedModel of(Sequential model, QConfig qconfig, boolean qat) {
        List<Module> layers = new ArrayList<>();
        for (Module m : model) layers.add(m);
        int lastCompute = -1;
        for (int i = 0; i < layers.size(); i++) if (layers.get(i) instanceof Conv2d || layers.get(i) instanceof Linear) lastCompute = i;
        if (lastCompute < 0) throw new IllegalArgumentException("model has no Conv2d or Linear layer to quantize");
        List<Unit> units = new ArrayList<>();
        List<Module> tail = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            m.eval();
            if (i > lastCompute) {
                tail.add(m);
            } else if (m instanceof Conv2d || m instanceof Linear) {
                Module layer = m;
                if (m instanceof Conv2d c && i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d bn) {
                    // QAT trains the batch norm with the convolution (folded at convert); calibration folds it now.
                    layer = qat ? new ConvBn2d(c, bn) : BatchNormFolding.fold(c, bn);
                    i++;
                }
                Conv2d conv = layer instanceof ConvBn2d cb ? cb.conv : layer instanceof Conv2d c ? c : null;
                if (conv != null && conv.groups != 1) throw new IllegalArgumentException("int8 convolution supports groups=1, layer " + i + " has groups=" + conv.groups);
                if (conv != null && (!conv.paddingMode.equals("zeros") || conv.paddingString != null)) {
                    throw new IllegalArgumentException("int8 convolution supports numeric zero padding, layer " + i + " has " + conv);
                }
                boolean relu = i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU;
                if (relu && i + 1 > lastCompute) {
                    tail.add(layers.get(i + 1));
                    relu = false;
                }
                if (relu) i++;
                boolean last = i >= lastCompute;
                units.add(new Compute(layer, relu, qconfig.weight().get(), last ? null : qconfig.activation().get()));
            } else if (m instanceof MaxPool2d || m instanceof Flatten || m instanceof ReLU || m instanceof Dropout || m instanceof Identity) {
                units.add(new PassThrough(m));
            } else if (m instanceof BatchNorm2d) {
                throw new IllegalArgumentException("layer " + i + ": a BatchNorm2d must follow a Conv2d to be folded");
            } else {
                units.add(new Fallback(m, qconfig.activation().get()));
            }
        }
        return new PreparedModel(qconfig.activation().get(), units, tail, qat, qconfig);
    }

    /**
     * Runs the float model, recording activation statistics; for QAT, with fake quantization where
     * the converted model will quantize (statistics are recorded in training mode only).
     */
    @Override
    public Tensor forward(Tensor x) {
        if (qat) return forwardQat(x);
        try (var _ = Sinter.noGrad()) {
            input.forward(x);
            for (Unit u : units) {
                switch (u) {
                    case Compute c -> {
                        x = c.layer().forward(x);
                        if (c.relu()) x = x.relu();
                        if (c.out() != null) c.out().forward(x);
                    }
                    case PassThrough p -> x = p.layer().forward(x);
                    case Fallback f -> {
                        x = f.layer().forward(x);
                        f.out().forward(x);
                    }
                }
            }
            for (Module m : tail) x = m.forward(x);
            return x;
        }
    }

    private Tensor forwardQat(Tensor x) {
        x = fakeQuantize(x, input);
        for (Unit u : units) {
            switch (u) {
                case Compute c -> {
                    x = computeWithFakeQuantWeight(c.layer(), x);
                    if (c.relu()) x = x.relu();
                    if (c.out() != null) x = fakeQuantize(x, c.out());
                }
                case PassThrough p -> x = p.layer().forward(x);
                case Fallback f -> x = fakeQuantize(f.layer().forward(x), f.out());
            }
        }
        for (Module m : tail) x = m.forward(x);
        return x;
    }

    private Tensor fakeQuantize(Tensor x, Observer obs) {
        return FakeQuant.activation(x, obs, training);
    }

    /** The layer with its weight fake-quantized per channel from its current values (gradients reach the weight by the STE). */
    private Tensor computeWithFakeQuantWeight(Module layer, Tensor x) {
        Observer w = qconfig.weight().get();
        if (layer instanceof ConvBn2d cb) return cb.forward(x, w);
        if (layer instanceof Conv2d c) return F.conv2d(x, FakeQuant.weight(c.weight, w), c.bias, c.stride, c.padding, c.dilation, c.groups);
        Linear l = (Linear) layer;
        return F.linear(x, FakeQuant.weight(l.weight, w), l.bias);
    }

    /**
     * Stops the batch norms trained with their convolutions from updating their running statistics
     * (PyTorch's {@code freeze_bn_stats}, usually applied for the last epochs of QAT).
     */
    public PreparedModel freezeBnStats() {
        for (Unit u : units) if (u instanceof Compute c && c.layer() instanceof ConvBn2d cb) cb.freezeBnStats();
        return this;
    }

    /** Runs every batch through the observers (PyTorch's calibration loop). */
    public PreparedModel calibrate(Iterable<Tensor> batches) {
        for (Tensor b : batches) forward(b);
        return this;
    }
}
