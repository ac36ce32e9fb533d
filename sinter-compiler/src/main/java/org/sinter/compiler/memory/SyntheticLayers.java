package org.sinter.compiler.memory;

/**
 * The ops of the synthetic training steps, each allocating what PyTorch's eager kernel would:
 * its output (in-place ops none), the tensors its backward needs, kept until that backward has
 * run, and scratch space only while it runs (convolutions unfold {@link #IM2COL_IMAGES} images
 * at a time into an im2col workspace).
 */
final class SyntheticLayers extends SyntheticAutograd {
    /** How many images a convolution unfolds at once: sets the size of its workspace. */
    static final int IM2COL_IMAGES = 8;

    /** 2-d convolution without bias (ResNet) or with it (the Lab 1 CNN), NCHW. */
    Buf conv2d(Buf x, Param w, Param bias, int stride, int pad) {
        int k = w.data.shape[2];
        int[] s = x.shape;
        int oh = (s[2] + 2 * pad - k) / stride + 1;
        int ow = (s[3] + 2 * pad - k) / stride + 1;
        long im2col = k == 1 && stride == 1 ? 0 : 4L * s[1] * k * k * oh * ow * Math.min(s[0], IM2COL_IMAGES);
        long ws = im2col == 0 ? -1 : workspace(im2col, "conv2d.im2col");
        Buf y = alloc("float32", new int[] {s[0], w.data.shape[0], oh, ow}, "conv2d", true);
        if (ws >= 0) recorder.free(ws);
        hold(x);
        onBackward(() -> {
            Buf g = takeGrad(y);
            long bws = im2col == 0 ? -1 : workspace(im2col, "conv2d_backward.im2col");
            accumulate(w, alloc("float32", w.data.shape, w.name + ".grad", false));
            if (bias != null) accumulate(bias, alloc("float32", bias.data.shape, bias.name + ".grad", false));
            accumulate(x, gradFor(x, x.shape, "conv2d_backward"));
            if (bws >= 0) recorder.free(bws);
            release(g);
            release(x);
        });
        return y;
    }

    /** Training-mode batch norm: saves its input and the batch mean and inverse deviation. */
    Buf batchNorm(Buf x, Param gamma, Param beta) {
        int[] c = {x.shape[1]};
        Buf mean = alloc("float32", c, "batch_norm.save_mean", false);
        Buf invstd = alloc("float32", c, "batch_norm.save_invstd", false);
        Buf y = alloc("float32", x.shape, "batch_norm", true);
        hold(x);
        onBackward(() -> {
            Buf g = takeGrad(y);
            accumulate(gamma, alloc("float32", c, gamma.name + ".grad", false));
            accumulate(beta, alloc("float32", c, beta.name + ".grad", false));
            accumulate(x, gradFor(x, x.shape, "batch_norm_backward"));
            release(g);
            release(x);
            release(mean);
            release(invstd);
        });
        return y;
    }

    /** Out-of-place ReLU; its backward needs the result. */
    Buf relu(Buf x) {
        Buf y = alloc("float32", x.shape, "relu", true);
        hold(y);
        onBackward(() -> reluBackward(x, y));
        return y;
    }

    /** In-place ReLU ({@code inplace=True}): no new buffer. */
    Buf reluInPlace(Buf x) {
        hold(x);
        onBackward(() -> reluBackward(x, x));
        return x;
    }

    private void reluBackward(Buf x, Buf y) {
        Buf g = takeGrad(y);
        Buf gx = gradFor(x, y.shape, "threshold_backward");
        release(g);
        release(y);
        accumulate(x, gx);
    }

    /** Max pooling; saves its input and the int64 indices of the maxima. */
    Buf maxPool2d(Buf x, int k, int stride, int pad) {
        int[] s = x.shape;
        int[] out = {s[0], s[1], (s[2] + 2 * pad - k) / stride + 1, (s[3] + 2 * pad - k) / stride + 1};
        Buf y = alloc("float32", out, "max_pool2d", true);
        Buf indices = alloc("int64", out, "max_pool2d.indices", false);
        hold(x);
        onBackward(() -> {
            Buf g = takeGrad(y);
            Buf gx = gradFor(x, x.shape, "max_pool2d_backward");
            release(g);
            release(indices);
            release(x);
            accumulate(x, gx);
        });
        return y;
    }

    /** Global average pooling to 1x1. */
    Buf adaptiveAvgPool(Buf x) {
        Buf y = alloc("float32", new int[] {x.shape[0], x.shape[1], 1, 1}, "adaptive_avg_pool2d", true);
        onBackward(() -> {
            Buf g = takeGrad(y);
            Buf gx = gradFor(x, x.shape, "adaptive_avg_pool2d_backward");
            release(g);
            accumulate(x, gx);
        });
        return y;
    }

    /** Training-mode dropout: a bool mask kept for backward. */
    Buf dropout(Buf x) {
        Buf mask = alloc("bool", x.shape, "dropout.mask", false);
        Buf y = alloc("float32", x.shape, "dropout", true);
        onBackward(() -> {
            Buf g = takeGrad(y);
            Buf gx = gradFor(x, x.shape, "dropout_backward");
            release(g);
            release(mask);
            accumulate(x, gx);
        });
        return y;
    }

    /** {@code x @ w.T + b} on a (flattened) 2-d input; saves the input for the weight gradient. */
    Buf linear(Buf x, Param w, Param b) {
        Buf y = alloc("float32", new int[] {x.shape[0], w.data.shape[0]}, "addmm", true);
        hold(x);
        onBackward(() -> {
            Buf g = takeGrad(y);
            Buf gx = gradFor(x, new int[] {x.shape[0], (int) (bytes("float32", x.shape) / 4 / x.shape[0])}, "mm_backward");
            accumulate(w, alloc("float32", w.data.shape, w.name + ".grad", false));
            accumulate(b, alloc("float32", b.data.shape, b.name + ".grad", false));
            release(g);
            release(x);
            accumulate(x, gx);
        });
        return y;
    }

    /** Flattening a contiguous tensor is a view: same buffer, and its gradient is a view too. */
    Buf flatten(Buf x) {
        return x;
    }

    Buf logSoftmax(Buf x) {
        Buf y = alloc("float32", x.shape, "log_softmax", true);
        hold(y);
        onBackward(() -> {
            Buf g = takeGrad(y);
            Buf gx = gradFor(x, x.shape, "log_softmax_backward");
            release(g);
            release(y);
            accumulate(x, gx);
        });
        return y;
    }

    /** Mean negative log-likelihood; a scalar. */
    Buf nllLoss(Buf logProbs, Buf target) {
        Buf totalWeight = alloc("float32", new int[0], "nll_loss.total_weight", false);
        Buf loss = alloc("float32", new int[0], "nll_loss", true);
        hold(logProbs);
        hold(target);
        onBackward(() -> {
            Buf g = takeGrad(loss);
            Buf gx = gradFor(logProbs, logProbs.shape, "nll_loss_backward");
            release(g);
            release(totalWeight);
            release(target);
            release(logProbs);
            accumulate(logProbs, gx);
        });
        return loss;
    }

    /** {@code a += b} in place (a residual connection); the gradient goes unchanged to both. */
    Buf addInPlace(Buf a, Buf b) {
        onBackward(() -> {
            Buf g = takeGrad(a);
            hold(g);
            accumulate(a, g);
            accumulate(b, g);
        });
        return a;
    }
}
