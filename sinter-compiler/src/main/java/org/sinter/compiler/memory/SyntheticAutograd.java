package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pretend eager autograd that computes nothing and only records what a real one would allocate
 * and free, in order, to make realistic {@link AllocationLog}s before the executor writes real
 * ones. It follows PyTorch's habits: every op allocates its output (in-place ops do not), keeps
 * the tensors its backward needs until that backward has run, and frees a buffer when the last
 * holder lets go (reference counting); backward runs the ops in reverse, allocating gradients and
 * freeing activations as it goes; gradients reaching one tensor twice are summed in place when
 * nobody else holds the first one; convolutions use an im2col workspace for a few images at a
 * time, live only while the op runs.
 */
final class SyntheticAutograd {
    /** How many images a convolution unfolds at once: sets the size of its workspace. */
    static final int IM2COL_IMAGES = 8;

    /** A buffer: one allocation of the log. */
    static final class Buf {
        final long id;
        final String dtype;
        final int[] shape;
        final boolean requiresGrad;
        int holders = 1;

        Buf(long id, String dtype, int[] shape, boolean requiresGrad) {
            this.id = id;
            this.dtype = dtype;
            this.shape = shape;
            this.requiresGrad = requiresGrad;
        }
    }

    /** A trainable parameter: its data, its gradient between backward and zero_grad, its optimizer state. */
    static final class Param {
        final String name;
        final Buf data;
        Buf grad;
        final List<Buf> state = new ArrayList<>();

        Param(String name, Buf data) {
            this.name = name;
            this.data = data;
        }
    }

    final AllocationLog.Recorder recorder = new AllocationLog.Recorder();
    final List<Param> params = new ArrayList<>();
    private final List<Runnable> tape = new ArrayList<>();
    private final Map<Buf, Buf> grads = new IdentityHashMap<>();

    // ---------------------------------------------------------------- buffers

    static long bytes(String dtype, int[] shape) {
        long n = switch (dtype) {
            case "float32", "int32" -> 4;
            case "int64" -> 8;
            case "bool", "uint8" -> 1;
            default -> throw new IllegalArgumentException("unknown dtype " + dtype);
        };
        for (int d : shape) n *= d;
        return n;
    }

    Buf alloc(String dtype, int[] shape, String what, boolean requiresGrad) {
        String tag = dtype + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")) + ":" + what;
        return new Buf(recorder.alloc(bytes(dtype, shape), tag), dtype, shape, requiresGrad);
    }

    Buf like(Buf b, String what) {
        return alloc(b.dtype, b.shape, what, false);
    }

    void hold(Buf b) {
        b.holders++;
    }

    void release(Buf b) {
        if (--b.holders == 0) recorder.free(b.id);
        if (b.holders < 0) throw new IllegalStateException("buffer " + b.id + " released too often");
    }

    /** A scratch buffer for the duration of one kernel: allocated now, freed by the caller soon after. */
    long workspace(long bytes, String what) {
        return recorder.alloc(bytes, "uint8[" + bytes + "]:" + what);
    }

    Param param(String name, int... shape) {
        Param p = new Param(name, alloc("float32", shape, name, true));
        params.add(p);
        return p;
    }

    /** A persistent non-trainable buffer (BatchNorm running statistics). */
    void buffer(String name, String dtype, int... shape) {
        alloc(dtype, shape, name, false);
    }

    // ---------------------------------------------------------------- autograd

    private void onBackward(Runnable r) {
        tape.add(r);
    }

    /** The gradient flowing into {@code y}; the caller owns (and must release) it. */
    private Buf takeGrad(Buf y) {
        Buf g = grads.remove(y);
        if (g == null) throw new IllegalStateException("no gradient reached buffer " + y.id);
        return g;
    }

    /** A new gradient buffer for {@code x}, or null when x needs none (the input batch). */
    private Buf gradFor(Buf x, int[] shape, String what) {
        return x.requiresGrad ? alloc("float32", shape, what, false) : null;
    }

    /** Adds {@code g} (owned by the caller, handed over; null for none) to x's gradient. */
    private void accumulate(Buf x, Buf g) {
        if (g == null) return;
        Buf old = grads.get(x);
        if (old == null) {
            grads.put(x, g);
        } else if (old.holders == 1) {
            release(g); // summed into old in place
        } else {
            grads.put(x, like(old, "add.grad"));
            release(old);
            release(g);
        }
    }

    private void accumulate(Param p, Buf g) {
        if (p.grad == null) {
            p.grad = g; // AccumulateGrad steals the incoming gradient
        } else {
            release(g);
        }
    }

    /** Runs backward from a scalar loss, which the caller keeps (it still holds it). */
    void backward(Buf loss) {
        grads.put(loss, like(loss, "ones_like"));
        for (int i = tape.size() - 1; i >= 0; i--) tape.get(i).run();
        tape.clear();
        if (!grads.isEmpty()) throw new IllegalStateException(grads.size() + " gradients never consumed");
    }

    /** {@code optimizer.zero_grad(set_to_none=True)}: the gradient buffers go. */
    void zeroGrad() {
        for (Param p : params) {
            if (p.grad != null) release(p.grad);
            p.grad = null;
        }
    }

    // ---------------------------------------------------------------- ops

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
