package org.sinter.cli.models;

import org.sinter.Tensor;
import org.sinter.nn.AdaptiveAvgPool2d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * ResNet-18 as torchvision builds it: a 7×7/2 stem convolution, 3×3/2 max-pooling, four stages of
 * two basic blocks (64, 128, 256, 512 channels; the first block of stages 2–4 halves the
 * resolution, with a 1×1/2 convolution and BatchNorm on its shortcut), global average pooling and a
 * linear classifier; convolutions without bias, each followed by BatchNorm. Parameter names follow
 * torchvision's ({@code layer2.0.downsample.0.weight}), so its state dicts load. {@code ResNet18(3, 1000)}
 * is the ImageNet model; the zoo's MNIST recipe uses one input channel and ten classes (28×28 inputs
 * reach 1×1 before the pooling).
 */
public final class ResNet18 extends Module {
    private final Sequential stem;
    private final Sequential layer1, layer2, layer3, layer4;
    private final Sequential head;

    public ResNet18() {
        this(1, 10);
    }

    public ResNet18(int inChannels, int classes) {
        Conv2d conv1 = registerModule("conv1", conv(inChannels, 64, 7, 2, 3));
        BatchNorm2d bn1 = registerModule("bn1", new BatchNorm2d(64));
        stem = new Sequential(conv1, bn1, new ReLU(), new MaxPool2d(3, 2, 1));
        layer1 = registerModule("layer1", stage(64, 64, 1));
        layer2 = registerModule("layer2", stage(64, 128, 2));
        layer3 = registerModule("layer3", stage(128, 256, 2));
        layer4 = registerModule("layer4", stage(256, 512, 2));
        Linear fc = registerModule("fc", new Linear(512, classes));
        head = new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), fc);
    }

    @Override
    public Tensor forward(Tensor x) {
        return head.forward(layer4.forward(layer3.forward(layer2.forward(layer1.forward(stem.forward(x))))));
    }

    private static Sequential stage(int in, int out, int stride) {
        return new Sequential(new BasicBlock(in, out, stride), new BasicBlock(out, out, 1));
    }

    static Conv2d conv(int in, int out, int k, int stride, int padding) {
        return new Conv2d(in, out, new int[] {k}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1, false, "zeros");
    }

    /** Two 3×3 convolutions with BatchNorm, added to the (possibly projected) input, then ReLU. */
    static final class BasicBlock extends Module {
        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;
        private final Sequential downsample;

        BasicBlock(int in, int out, int stride) {
            conv1 = registerModule("conv1", conv(in, out, 3, stride, 1));
            bn1 = registerModule("bn1", new BatchNorm2d(out));
            conv2 = registerModule("conv2", conv(out, out, 3, 1, 1));
            bn2 = registerModule("bn2", new BatchNorm2d(out));
            downsample = stride != 1 || in != out ? registerModule("downsample", new Sequential(conv(in, out, 1, stride, 0), new BatchNorm2d(out))) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = bn2.forward(conv2.forward(bn1.forward(conv1.forward(x)).relu()));
            Tensor shortcut = downsample == null ? x : downsample.forward(x);
            return y.add(shortcut).relu();
        }
    }
}
