package org.sinter.compress.quant;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.observer.Observer;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.models.BasicBlock;
import org.sinter.nn.models.ResNet18;

/**
 * A ResNet-18 with observers in place, as torchvision's quantizable ResNet after PyTorch's
 * {@code fuse_model} and {@code prepare}: every convolution has its batch norm folded in (the
 * stem's and each block's conv1 with ReLU fused), and observers record the model input, each
 * convolution's output, each shortcut projection's output and each residual sum after its ReLU
 * (the {@code FloatFunctional.add_relu} that becomes a quantized add with its own scale). The
 * global average pooling keeps its input's scale; the classifier dequantizes.
 */
public final class PreparedResNet extends Module {
    /** A convolution with its batch norm folded, optionally with a fused ReLU, and its observers. */
    record ObservedConv(Conv2d conv, boolean relu, Observer weight, Observer out) {
        Tensor forward(Tensor x) {
            Tensor y = conv.forward(x);
            if (relu) y = y.relu();
            out.forward(y);
            return y;
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

    private PreparedResNet(Observer input, ObservedConv stem, MaxPool2d pool, List<ObservedBlock> blocks, Linear fc, Observer fcWeight) {
        this.input = input;
        this.stem = stem;
        this.pool = pool;
        this.blocks = List.copyOf(blocks);
        this.fc = fc;
        this.fcWeight = fcWeight;
        training = false;
    }

    /** Folds the batch norms of {@code model} (put in eval mode; its own layers are not changed) and places observers. */
    static PreparedResNet of(ResNet18 model, QConfig qconfig) {
        model.eval();
        ObservedConv stem = observed(BatchNormFolding.fold(model.stemConv(), model.stemBn()), true, qconfig);
        List<ObservedBlock> blocks = new ArrayList<>();
        for (BasicBlock b : model.blocks()) {
            ObservedConv c1 = observed(BatchNormFolding.fold(b.conv1(), b.bn1()), true, qconfig);
            ObservedConv c2 = observed(BatchNormFolding.fold(b.conv2(), b.bn2()), false, qconfig);
            ObservedConv ds = b.downsampleConv() == null ? null : observed(BatchNormFolding.fold(b.downsampleConv(), b.downsampleBn()), false, qconfig);
            blocks.add(new ObservedBlock(c1, c2, ds, qconfig.activation().get()));
        }
        MaxPool2d p = model.stemPool();
        return new PreparedResNet(qconfig.activation().get(), stem, p, blocks, model.fc(), qconfig.weight().get());
    }

    private static ObservedConv observed(Conv2d folded, boolean relu, QConfig qconfig) {
        return new ObservedConv(folded, relu, qconfig.weight().get(), qconfig.activation().get());
    }

    /** The float model (BN folded), recording the statistics of every point the int8 model will quantize. */
    @Override
    public Tensor forward(Tensor x) {
        try (var _ = Sinter.noGrad()) {
            input.forward(x);
            x = pool.forward(stem.forward(x));
            for (ObservedBlock b : blocks) {
                Tensor y = b.conv2().forward(b.conv1().forward(x));
                Tensor shortcut = b.downsample() == null ? x : b.downsample().forward(x);
                x = y.add(shortcut).relu();
                b.add().forward(x);
            }
            Tensor pooled = x.mean(new int[] {2, 3}, false);
            return fc.forward(pooled);
        }
    }

    /** Runs every batch through the observers. */
    public PreparedResNet calibrate(Iterable<Tensor> batches) {
        for (Tensor b : batches) forward(b);
        return this;
    }
}
