package org.sinter.nn.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * reach 1×1 before the pooling). {@link Widths} builds the narrower network a channel pruner leaves.
 */
public class ResNet18 extends Module {
    /**
     * Channel counts: {@code stages[s]} is the width of stage s's residual stream (the stem writes
     * stage 0's), {@code inner[b]} the width between block b's two convolutions (blocks 0..7).
     */
    public record Widths(int[] stages, int[] inner) {
        public Widths {
            if (stages.length != 4 || inner.length != 8) {
                throw new IllegalArgumentException("ResNet-18 widths need 4 stage widths and 8 inner widths, got " + stages.length + " and " + inner.length);
            }
            for (int w : stages) if (w < 1) throw new IllegalArgumentException("ResNet-18 stage widths must be positive: " + Arrays.toString(stages));
            for (int w : inner) if (w < 1) throw new IllegalArgumentException("ResNet-18 inner widths must be positive: " + Arrays.toString(inner));
            stages = stages.clone();
            inner = inner.clone();
        }

        /** torchvision's widths: 64, 128, 256, 512. */
        public static Widths standard() {
            return new Widths(new int[] {64, 128, 256, 512}, new int[] {64, 64, 128, 128, 256, 256, 512, 512});
        }

        @Override
        public int[] stages() { return stages.clone(); }

        @Override
        public int[] inner() { return inner.clone(); }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential stem;
    private final Sequential layer1, layer2, layer3, layer4;
    private final Linear fc;
    private final Sequential head;

    public ResNet18() {
        this(1, 10);
    }

    public ResNet18(int inChannels, int classes) {
        this(inChannels, classes, Widths.standard());
    }

    @SuppressWarnings("this-escape") // registers its layers as children; subclasses (the CLI's zoo entry) add nothing
    public ResNet18(int inChannels, int classes, Widths widths) {
        int[] s = widths.stages, m = widths.inner;
        conv1 = registerModule("conv1", conv(inChannels, s[0], 7, 2, 3));
        bn1 = registerModule("bn1", new BatchNorm2d(s[0]));
        stem = new Sequential(conv1, bn1, new ReLU(), new MaxPool2d(3, 2, 1));
        layer1 = registerModule("layer1", stage(s[0], m[0], m[1], s[0], 1));
        layer2 = registerModule("layer2", stage(s[0], m[2], m[3], s[1], 2));
        layer3 = registerModule("layer3", stage(s[1], m[4], m[5], s[2], 2));
        layer4 = registerModule("layer4", stage(s[2], m[6], m[7], s[3], 2));
        fc = registerModule("fc", new Linear(s[3], classes));
        head = new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), fc);
    }

    @Override
    public Tensor forward(Tensor x) {
        return head.forward(layer4.forward(layer3.forward(layer2.forward(layer1.forward(stem.forward(x))))));
    }

    private static Sequential stage(int in, int mid0, int mid1, int out, int stride) {
        return new Sequential(new BasicBlock(in, mid0, out, stride), new BasicBlock(out, mid1, out, 1));
    }

    static Conv2d conv(int in, int out, int k, int stride, int padding) {
        return new Conv2d(in, out, new int[] {k}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1, false, "zeros");
    }

    /** The stem's 7×7/2 convolution. */
    public Conv2d stemConv() { return conv1; }

    public BatchNorm2d stemBn() { return bn1; }

    /** The stem's max pooling (3×3, stride 2, padding 1). */
    public MaxPool2d stemPool() { return (MaxPool2d) stem.get(3); }

    /** The eight basic blocks in order (layer1.0, layer1.1, …, layer4.1). */
    public List<BasicBlock> blocks() {
        List<BasicBlock> b = new ArrayList<>();
        for (Sequential l : List.of(layer1, layer2, layer3, layer4)) for (Module m : l) b.add((BasicBlock) m);
        return b;
    }

    /** The classifier after global average pooling. */
    public Linear fc() { return fc; }

    public int inChannels() { return conv1.inChannels; }

    public int classes() { return fc.outFeatures; }

    /** This network's channel counts. */
    public Widths widths() {
        List<BasicBlock> b = blocks();
        int[] inner = new int[8];
        for (int i = 0; i < 8; i++) inner[i] = b.get(i).midChannels();
        return new Widths(new int[] {b.get(1).outChannels(), b.get(3).outChannels(), b.get(5).outChannels(), b.get(7).outChannels()}, inner);
    }
}
