package org.sinter.nn.functional;

import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.ValuesIndices;

/**
 * Stateless neural-network functions: PyTorch's {@code torch.nn.functional} in camelCase, with
 * its argument order, defaults and semantics. Keyword arguments become overloads; where PyTorch
 * takes "an int or a tuple", Java takes {@code int} or {@code int[]} (one value repeats).
 *
 * <pre>{@code
 * Tensor y = F.conv2d(x, w, b, 1, 1);               // stride 1, padding 1
 * y = F.maxPool2d(F.relu(y), 2);
 * Tensor loss = F.crossEntropy(F.linear(y.flatten(1, -1), fcW, fcB), labels);
 * }</pre>
 *
 * Every function is differentiable in its floating inputs, and twice differentiable: convolution,
 * pooling and embedding gradients are operators with their own gradients; the others are
 * compositions of primitive ops.
 */
public final class F {
    private F() {}

    private static final int[] ONE = {1}, ZERO = {0};

    // ------------------------------------------------------------------ linear and convolution

    /** {@code x · weightᵀ + bias}: {@code weight} is read through a transposed view, never copied. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2 && weight.dim() != 1) {
            throw new IllegalArgumentException("linear: weight must be 1-D or 2-D, got " + java.util.Arrays.toString(weight.shape()));
        }
        Tensor y = input.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    public static Tensor linear(Tensor input, Tensor weight) {
        return linear(input, weight, null);
    }

    /** {@code x1ᵀ A x2 + b} per output feature: weight {@code [out, in1, in2]}. */
    public static Tensor bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor bias) {
        // y[..., o] = Σ_ij x1[..., i] W[o, i, j] x2[..., j]
        Tensor t = input1.unsqueeze(-2).unsqueeze(-2).matmul(weight).squeeze(-2);  // [..., out, in2]
        Tensor y = t.mul(input2.unsqueeze(-2)).sum(-1, false);
        return bias == null ? y : y.add(bias);
    }

    /** 1-D convolution with defaults stride 1, padding 0, dilation 1, groups 1. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return Convolution.conv("conv1d", 1, input, weight, bias, ONE, ZERO, ONE, 1);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Convolution.conv("conv1d", 1, input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups);
    }

    /** 1-D convolution with {@code padding} "valid" or "same". */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return Convolution.conv("conv1d", 1, input, weight, bias, new int[] {stride}, padding, new int[] {dilation}, groups);
    }

    public static Tensor conv2d(Tensor input, Tensor weight) {
        return conv2d(input, weight, null);
    }

    /** 2-D convolution with defaults stride 1, padding 0, dilation 1, groups 1. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return Convolution.conv("conv2d", 2, input, weight, bias, ONE, ZERO, ONE, 1);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride}, new int[] {padding}, ONE, 1);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv2d(input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups);
    }

    /**
     * 2-D convolution: input {@code [N, C, H, W]} (or unbatched {@code [C, H, W]}), weight
     * {@code [K, C/groups, kh, kw]}, bias {@code [K]} or null; stride, padding and dilation are
     * one value or a (height, width) pair.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups);
    }

    /** 2-D convolution with {@code padding} "valid" (none) or "same" (output size = input size; stride 1 only). */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return Convolution.conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias) {
        return Convolution.convTranspose2d(input, weight, bias, ONE, ZERO, ZERO, 1, ONE);
    }

    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return Convolution.convTranspose2d(input, weight, bias, new int[] {stride}, new int[] {padding}, ZERO, 1, ONE);
    }

    /**
     * Transposed 2-D convolution (PyTorch's argument order: groups before dilation): weight
     * {@code [C_in, C_out/groups, kh, kw]}; output size {@code (H-1)·stride - 2·padding +
     * dilation·(k-1) + output_padding + 1}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return Convolution.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    // ------------------------------------------------------------------ pooling

    /** Max pooling with stride = kernel size, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, new int[] {kernelSize}, null, ZERO, ONE, false);
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return maxPool2d(input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, ONE, false);
    }

    /** Max pooling; {@code stride} null or empty means the kernel size. */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode).values();
    }

    /** Max pooling returning the maxima and their flat in-plane indices (int64), as {@code return_indices=True}. */
    public static ValuesIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                                     boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** Average pooling with stride = kernel size, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, new int[] {kernelSize}, null, ZERO, false, true, 0);
    }

    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return avgPool2d(input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, 0);
    }

    /**
     * Average pooling. {@code countIncludePad} counts padding zeros in the divisor (default true);
     * {@code divisorOverride} > 0 replaces the divisor (0 means None).
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, int divisorOverride) {
        return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** Adaptive average pooling to {@code outputSize}; a negative entry keeps that input size (None). */
    public static Tensor adaptiveAvgPool2d(Tensor input, int... outputSize) {
        return Pooling.adaptiveAvgPool2d(input, outputSize);
    }

    // ------------------------------------------------------------------ normalization

    /**
     * Batch normalization over all dims but 1. In training (or without running statistics) it
     * normalizes with the batch's biased variance and, when running statistics are given, updates
     * them in place: {@code running = (1 - momentum)·running + momentum·batch} (unbiased variance).
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** Batch normalization with momentum 0.1 and eps 1e-5. */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training) {
        return batchNorm(input, runningMean, runningVar, weight, bias, training, 0.1, 1e-5);
    }

    /** Layer normalization over the trailing {@code normalizedShape} dims. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias) {
        return layerNorm(input, normalizedShape, weight, bias, 1e-5);
    }

    /** Group normalization: channels split into {@code numGroups} groups, each normalized per sample. */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(input, numGroups, weight, bias, eps);
    }

    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias) {
        return groupNorm(input, numGroups, weight, bias, 1e-5);
    }

    // ------------------------------------------------------------------ dropout, embedding, padding, activations

    /** Dropout from the global generator (p = 0.5, training = true by default in PyTorch). */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        return dropout(input, p, training, Generator.global());
    }

    /**
     * In training, zeroes each element with probability {@code p} (draws from {@code generator})
     * and scales the rest by {@code 1/(1-p)}; otherwise returns the input.
     */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return input;
        if (p == 1) return input.mul(0.0);
        DType dt = input.dtype().isFloatingPoint() ? input.dtype() : DType.FLOAT32;
        // The mask is drawn on the GPU for a GPU input (seeded from this generator); on the CPU otherwise (meta too).
        org.sinter.Device where = input.device().type() == org.sinter.Device.Type.CUDA ? input.device() : org.sinter.Device.CPU;
        Tensor keep = generator.rand(dt.computeType(), where, input.shape()).lt(1 - p);
        return input.mul(keep.to(dt).mul(1 / (1 - p)));
    }

    /** Rows of {@code weight} at {@code indices} (int64 or int32, any shape): output {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return EmbeddingOps.embedding(weight, indices, EmbeddingOps.NO_PADDING);
    }

    /** Embedding whose {@code paddingIdx} row gets no gradient (negative counts from the end). */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        return EmbeddingOps.embedding(weight, indices, paddingIdx);
    }

    /** PyTorch's {@code F.pad} (last dimension first; modes constant, reflect, replicate, circular). */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
        return input.pad(pad, mode, value);
    }

    public static Tensor pad(Tensor input, int... pad) {
        return input.pad(pad);
    }

    public static Tensor relu(Tensor input) { return input.relu(); }

    public static Tensor softmax(Tensor input, int dim) { return input.softmax(dim); }

    public static Tensor logSoftmax(Tensor input, int dim) { return input.logSoftmax(dim); }

    // ------------------------------------------------------------------ losses

    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    /** {@code (input - target)²}, reduced. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.mseLoss(input, target, reduction); }

    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, Reduction.MEAN); }

    /** {@code |input - target|}, reduced. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) { return Losses.l1Loss(input, target, reduction); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return smoothL1Loss(input, target, Reduction.MEAN, 1.0); }

    /** {@code 0.5 z²/beta} for {@code z = |input - target| < beta}, else {@code z - 0.5 beta}; beta 0 is the L1 loss. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    public static Tensor huberLoss(Tensor input, Tensor target) { return huberLoss(input, target, Reduction.MEAN, 1.0); }

    /** {@code 0.5 z²} for {@code z < delta}, else {@code delta (z - 0.5 delta)}. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return Losses.huberLoss(input, target, reduction, delta);
    }

    /** Cross entropy with class indices: mean reduction, no weights, ignore_index -100, no smoothing. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, Reduction.MEAN, 0.0);
    }

    /**
     * Cross entropy of logits {@code input} ({@code [C]}, {@code [N, C]} or {@code [N, C, d1, ...]})
     * against class indices (int64, shape without C) or class probabilities (floating, same shape).
     * {@code weight} ({@code [C]} or null) rescales classes; targets equal to {@code ignoreIndex}
     * contribute nothing (indices only); {@code labelSmoothing} mixes in the uniform distribution.
     * The weighted mean divides by the summed weights of the counted targets.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, -100, Reduction.MEAN);
    }

    /** Negative log likelihood of log-probabilities {@code input} at class indices {@code target}; options as {@link #crossEntropy}. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /** {@code -w (t log x + (1 - t) log(1 - x))} with each log clamped at -100, as PyTorch does. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Sigmoid and binary cross entropy in one numerically stable expression;
     * {@code posWeight} (broadcast along the last dimension) weighs the positive term.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /**
     * Kullback-Leibler divergence of log-probabilities {@code input} from {@code target}
     * (probabilities, or log-probabilities with {@code logTarget}); {@link Reduction#BATCHMEAN}
     * divides the sum by the batch size (the mathematically correct KL).
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }
}
