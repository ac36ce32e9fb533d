package org.sinter.compiler.memory;

import java.util.Arrays;
import org.sinter.compiler.memory.SyntheticAutograd.Buf;
import org.sinter.compiler.memory.SyntheticAutograd.Param;

/**
 * Synthetic allocation logs of training steps, recorded by {@link SyntheticLayers} while it
 * pretends to train: parameters and BatchNorm statistics first, then per step the batch, the
 * forward pass layer by layer, backward in reverse, the optimizer step. Used for tests and
 * demos until the graph executor writes real logs with {@code --alloc-log}; the shapes are
 * exact, the allocation habits imitate PyTorch's eager mode.
 */
public final class SyntheticTrainingLogs {
    private SyntheticTrainingLogs() {}

    /**
     * The course's Lab 1 CNN (PyTorch's MNIST example, {@code Lab1Cnn} in sinter-cli) on 28x28
     * images, trained with Adadelta, whose state (two buffers per parameter) appears at the first
     * step; the update itself is one fused kernel without temporaries.
     */
    public static AllocationLog lab1Cnn(int batch, int steps) {
        SyntheticLayers t = new SyntheticLayers();
        Param c1w = t.param("conv1.weight", 32, 1, 3, 3);
        Param c1b = t.param("conv1.bias", 32);
        Param c2w = t.param("conv2.weight", 64, 32, 3, 3);
        Param c2b = t.param("conv2.bias", 64);
        Param f1w = t.param("fc1.weight", 128, 9216);
        Param f1b = t.param("fc1.bias", 128);
        Param f2w = t.param("fc2.weight", 10, 128);
        Param f2b = t.param("fc2.bias", 10);
        Loop loop = new Loop(t);
        for (int step = 0; step < steps; step++) {
            Buf x = loop.nextBatch(new int[] {batch, 1, 28, 28});
            Buf h = t.conv2d(x, c1w, c1b, 1, 0);
            h = then(t, h, t.relu(h));
            h = then(t, h, t.conv2d(h, c2w, c2b, 1, 0));
            h = then(t, h, t.relu(h));
            h = then(t, h, t.maxPool2d(h, 2, 2, 0));
            h = then(t, h, t.dropout(h));
            h = t.flatten(h);
            h = then(t, h, t.linear(h, f1w, f1b));
            h = then(t, h, t.relu(h));
            h = then(t, h, t.dropout(h));
            h = then(t, h, t.linear(h, f2w, f2b));
            Buf output = then(t, h, t.logSoftmax(h));
            loop.lossAndBackward(output, output);
            for (Param p : t.params) {
                if (p.state.isEmpty()) {
                    p.state.add(t.alloc("float32", p.data.shape, p.name + ".square_avg", false));
                    p.state.add(t.alloc("float32", p.data.shape, p.name + ".acc_delta", false));
                }
            }
        }
        return t.recorder.toLog();
    }

    /**
     * torchvision's ResNet-18 (basic blocks [2, 2, 2, 2], in-place ReLUs and residual adds) on
     * square RGB images, cross-entropy over 1000 classes, SGD with momentum and weight decay as
     * in torchvision's recipe: per parameter a short-lived {@code grad + wd * p} and, at the first
     * step, a momentum buffer.
     */
    public static AllocationLog resnet18(int batch, int imageSize, int steps) {
        SyntheticLayers t = new SyntheticLayers();
        Param stem = t.param("conv1.weight", 64, 3, 7, 7);
        Param[] stemBn = batchNorm(t, "bn1", 64);
        int[] widths = {64, 128, 256, 512};
        Block[] blocks = new Block[8];
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int i = 0; i < 2; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                blocks[2 * stage + i] = new Block(t, "layer" + (stage + 1) + "." + i, in, widths[stage], stride);
                in = widths[stage];
            }
        }
        Param fcw = t.param("fc.weight", 1000, 512);
        Param fcb = t.param("fc.bias", 1000);
        Loop loop = new Loop(t);
        for (int step = 0; step < steps; step++) {
            Buf x = loop.nextBatch(new int[] {batch, 3, imageSize, imageSize});
            Buf h = t.conv2d(x, stem, null, 2, 3);
            h = then(t, h, t.batchNorm(h, stemBn[0], stemBn[1]));
            h = t.reluInPlace(h);
            h = then(t, h, t.maxPool2d(h, 3, 2, 1));
            for (Block b : blocks) h = b.forward(t, h);
            h = then(t, h, t.adaptiveAvgPool(h));
            h = t.flatten(h);
            Buf logits = then(t, h, t.linear(h, fcw, fcb));
            Buf logProbs = t.logSoftmax(logits);
            loop.lossAndBackward(logits, logProbs);
            for (Param p : t.params) {
                long decayed = t.recorder.alloc(SyntheticAutograd.bytes("float32", p.data.shape), "float32" + shape(p) + ":sgd.weight_decay");
                if (p.state.isEmpty()) p.state.add(t.alloc("float32", p.data.shape, p.name + ".momentum_buffer", false));
                t.recorder.free(decayed);
            }
        }
        return t.recorder.toLog();
    }

    private static String shape(Param p) {
        return Arrays.toString(p.data.shape).replace(" ", "");
    }

    /** A BatchNorm2d: affine parameters and running statistics. */
    private static Param[] batchNorm(SyntheticAutograd t, String name, int channels) {
        Param gamma = t.param(name + ".weight", channels);
        Param beta = t.param(name + ".bias", channels);
        t.buffer(name + ".running_mean", "float32", channels);
        t.buffer(name + ".running_var", "float32", channels);
        t.buffer(name + ".num_batches_tracked", "int64");
        return new Param[] {gamma, beta};
    }

    /** torchvision's BasicBlock: conv-bn-relu-conv-bn, plus the input (or its 1x1 projection), relu. */
    private static final class Block {
        final Param conv1;
        final Param[] bn1;
        final Param conv2;
        final Param[] bn2;
        final Param downConv;
        final Param[] downBn;
        final int stride;

        Block(SyntheticLayers t, String name, int in, int out, int stride) {
            this.stride = stride;
            conv1 = t.param(name + ".conv1.weight", out, in, 3, 3);
            bn1 = batchNorm(t, name + ".bn1", out);
            conv2 = t.param(name + ".conv2.weight", out, out, 3, 3);
            bn2 = batchNorm(t, name + ".bn2", out);
            boolean project = stride != 1 || in != out;
            downConv = project ? t.param(name + ".downsample.0.weight", out, in, 1, 1) : null;
            downBn = project ? batchNorm(t, name + ".downsample.1", out) : null;
        }

        Buf forward(SyntheticLayers t, Buf x) {
            Buf out = t.conv2d(x, conv1, null, stride, 1);
            out = then(t, out, t.batchNorm(out, bn1[0], bn1[1]));
            out = t.reluInPlace(out);
            out = then(t, out, t.conv2d(out, conv2, null, 1, 1));
            out = then(t, out, t.batchNorm(out, bn2[0], bn2[1]));
            Buf identity = x;
            if (downConv != null) {
                Buf projected = t.conv2d(x, downConv, null, stride, 0);
                identity = then(t, projected, t.batchNorm(projected, downBn[0], downBn[1]));
            }
            out = t.addInPlace(out, identity);
            out = t.reluInPlace(out);
            if (identity != x) t.release(identity);
            t.release(x);
            return out;
        }
    }

    /** Rebinds a variable: the old buffer loses the variable's hold unless the op returned it. */
    private static Buf then(SyntheticAutograd t, Buf old, Buf next) {
        if (next != old) t.release(old);
        return next;
    }

    /**
     * The training loop's variables, rebound each step as in a Python loop: the previous batch,
     * output and loss live until their names are reassigned in the next step.
     */
    private static final class Loop {
        private final SyntheticLayers t;
        private Buf data;
        private Buf target;
        private Buf output;
        private Buf loss;

        Loop(SyntheticLayers t) {
            this.t = t;
        }

        Buf nextBatch(int[] shape) {
            Buf newData = t.alloc("float32", shape, "batch.data", false);
            Buf newTarget = t.alloc("int64", new int[] {shape[0]}, "batch.target", false);
            if (data != null) {
                t.release(data);
                t.release(target);
            }
            data = newData;
            target = newTarget;
            t.zeroGrad();
            return data;
        }

        /** {@code output} is what the model returned, {@code logProbs} what the NLL loss reads. */
        void lossAndBackward(Buf newOutput, Buf logProbs) {
            if (output != null) t.release(output);
            output = newOutput;
            Buf newLoss = t.nllLoss(logProbs, target);
            // cross_entropy's intermediate log-probabilities: from here on only backward holds them.
            if (logProbs != newOutput) t.release(logProbs);
            if (loss != null) t.release(loss);
            loss = newLoss;
            t.backward(loss);
        }
    }
}
