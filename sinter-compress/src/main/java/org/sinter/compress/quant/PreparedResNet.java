package org.sinter.compress.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.observer.Observer;
import org.sinter.compress.quant.qat.ConvBn2d;
import org.sinter.compress.quant.qat.FakeQuant;
import org.sinter.compress.quant.qat.FakeQuantizeFunction;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.nn.models.BasicBlock;
import org.sinter.nn.models.ResNet18;

/**
 * A ResNet-18 with observers in place, as torchvision's quantizable ResNet after PyTorch's
 * {@code fuse_model} and {@code prepare}: every convolution has its batch norm folded in (the
 * stem's and each block's conv1 with ReLU fused), and observers record the model input, each
 * convolution's output, each shortcut projection's output and each residual sum after its ReLU
 * (the {@code FloatFunctional.add_relu} that becomes a quantized add with its own scale). The
 * global average pooling keeps its input's scale; the classifier dequantizes.
 *
 * <p>For quantization-aware training ({@code prepare_qat}) each convolution trains with its batch
 * norm as a {@link ConvBn2d} (folded at convert) and the forward fake-quantizes at the same points,
 * weights per channel from their current values; the model's own layers are shared and trained.
 */
public final class PreparedResNet extends Module {
    /** A convolution (BN folded, or trained with it for QAT), optionally with a fused ReLU, and its observers. */
    record ObservedConv(Module layer, boolean relu, Observer weight, Observer out) {
        /** The convolution the int8 model runs: the folded one (for QAT, with the current running statistics). */
        Conv2d conv() {
            return layer instanceof ConvBn2d cb ? cb.folded() : (Conv2d) layer;
        }
    }

    /** One basic block: conv1 (+ReLU), conv2, the optional shortcut projection, and the sum's observer. */
    record ObservedBlock(ObservedConv conv1, ObservedConv conv2, ObservedConv downsample, Observer add) {}

    final Observer input;
    final ObservedConv stem;
    final MaxPool2d pool;
    final List<ObservedBlock> blocks;
    final Linear fc;
    final Observer fcWeight;
    /** Quantization-aware training: the forward fake-quantizes (unless disabled) and trains the batch norms. */
    final boolean qat;
    private final QConfig qconfig;
    private boolean fakeQuant = true;

    @SuppressWarnings("this-escape") // registers the layers as children, so parameters() and train() reach them for QAT
    private PreparedResNet(Observer input, ObservedConv stem, MaxPool2d pool, List<ObservedBlock> blocks, Linear fc, Observer fcWeight,
            boolean qat, QConfig qconfig) {
        this.input = input;
        this.stem = stem;
        this.pool = pool;
        this.blocks = List.copyOf(blocks);
        this.fc = fc;
        this.fcWeight = fcWeight;
        this.qat = qat;
        this.qconfig = qconfig;
        registerModule("stem", stem.layer());
        for (int i = 0; i < this.blocks.size(); i++) {
            ObservedBlock b = this.blocks.get(i);
            registerModule("block" + i + "_conv1", b.conv1().layer());
            registerModule("block" + i + "_conv2", b.conv2().layer());
            if (b.downsample() != null) registerModule("block" + i + "_downsample", b.downsample().layer());
        }
        registerModule("fc", fc);
        training = false;
    }

    /**
     * Places observers on {@code model} (put in eval mode). For PTQ the batch norms are folded into
     * new convolutions and the model is not changed; for QAT its layers are wrapped and trained in place.
     */
    static PreparedResNet of(ResNet18 model, QConfig qconfig, boolean qat) {
        model.eval();
        ObservedConv stem = observed(model.stemConv(), model.stemBn(), true, qconfig, qat);
        List<ObservedBlock> blocks = new ArrayList<>();
        for (BasicBlock b : model.blocks()) {
            ObservedConv c1 = observed(b.conv1(), b.bn1(), true, qconfig, qat);
            ObservedConv c2 = observed(b.conv2(), b.bn2(), false, qconfig, qat);
            ObservedConv ds = b.downsampleConv() == null ? null : observed(b.downsampleConv(), b.downsampleBn(), false, qconfig, qat);
            blocks.add(new ObservedBlock(c1, c2, ds, qconfig.activation().get()));
        }
        return new PreparedResNet(qconfig.activation().get(), stem, model.stemPool(), blocks, model.fc(), qconfig.weight().get(), qat, qconfig);
    }

    private static ObservedConv observed(Conv2d conv, BatchNorm2d bn, boolean relu, QConfig qconfig, boolean qat) {
        Module layer = qat ? new ConvBn2d(conv, bn) : BatchNormFolding.fold(conv, bn);
        return new ObservedConv(layer, relu, qconfig.weight().get(), qconfig.activation().get());
    }

    /**
     * The float model (BN folded), recording the statistics of every point the int8 model will
     * quantize; for QAT, with fake quantization there (statistics are recorded in training mode only).
     */
    @Override
    public Tensor forward(Tensor x) {
        if (qat) return forwardQat(x);
        try (var _ = Sinter.noGrad()) {
            input.forward(x);
            x = pool.forward(observe(stem, stem.layer().forward(x)));
            for (ObservedBlock b : blocks) {
                Tensor y = observe(b.conv2(), b.conv2().layer().forward(observe(b.conv1(), b.conv1().layer().forward(x))));
                Tensor shortcut = b.downsample() == null ? x : observe(b.downsample(), b.downsample().layer().forward(x));
                x = y.add(shortcut).relu();
                b.add().forward(x);
            }
            return fc.forward(x.mean(new int[] {2, 3}, false));
        }
    }

    private static Tensor observe(ObservedConv c, Tensor y) {
        if (c.relu()) y = y.relu();
        c.out().forward(y);
        return y;
    }

    private Tensor forwardQat(Tensor x) {
        x = activation(x, input);
        x = pool.forward(qatConv(stem, x));
        for (ObservedBlock b : blocks) {
            Tensor y = qatConv(b.conv2(), qatConv(b.conv1(), x));
            Tensor shortcut = b.downsample() == null ? x : qatConv(b.downsample(), x);
            x = activation(y.add(shortcut).relu(), b.add());
        }
        Tensor pooled = x.mean(new int[] {2, 3}, false);
        // The int8 pooling rounds each mean to its input's grid (the last sum's); the simulation does too.
        if (fakeQuant) pooled = FakeQuantizeFunction.apply(pooled, blocks.getLast().add().calculateQparams());
        Tensor w = fakeQuant ? FakeQuant.weight(fc.weight, qconfig.weight().get()) : fc.weight;
        return F.linear(pooled, w, fc.bias);
    }

    private Tensor qatConv(ObservedConv c, Tensor x) {
        UnaryOperator<Tensor> weightQuant = fakeQuant ? w -> FakeQuant.weight(w, qconfig.weight().get()) : UnaryOperator.identity();
        Tensor y = ((ConvBn2d) c.layer()).forward(x, weightQuant);
        if (c.relu()) y = y.relu();
        return activation(y, c.out());
    }

    private Tensor activation(Tensor x, Observer observer) {
        if (training) FakeQuant.observe(x, observer);
        return fakeQuant ? FakeQuantizeFunction.apply(x, observer.calculateQparams()) : x;
    }

    /**
     * PyTorch's {@code enable_fake_quant} / {@code disable_fake_quant}: disabled, the QAT model
     * computes in float (observers still record in training mode).
     */
    public PreparedResNet fakeQuant(boolean enabled) {
        if (!qat) throw new IllegalStateException("fake quantization is for a model prepared with Quantize.prepareQat");
        fakeQuant = enabled;
        return this;
    }

    /** Stops every batch norm from updating its running statistics (PyTorch's {@code freeze_bn_stats}). */
    public PreparedResNet freezeBnStats() {
        for (Module m : modules()) if (m instanceof ConvBn2d cb) cb.freezeBnStats();
        return this;
    }

    /** Runs every batch through the observers. */
    public PreparedResNet calibrate(Iterable<Tensor> batches) {
        for (Tensor b : batches) forward(b);
        return this;
    }
}
