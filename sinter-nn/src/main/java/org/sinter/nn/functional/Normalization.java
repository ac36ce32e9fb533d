package org.sinter.nn.functional;

import java.util.Arrays;
import org.sinter.Shape;
import org.sinter.Sinter;
import org.sinter.Tensor;

/**
 * Batch, layer and group normalization, written with primitive tensor ops (mean, biased
 * variance, rsqrt, broadcasting affine), so their gradients of every order come from the
 * primitives. Running statistics are updated outside autograd with the unbiased batch variance,
 * as PyTorch does.
 */
final class Normalization {
    private Normalization() {}

    /** Shape {@code [1, c, 1, ...]} of rank {@code rank} for per-channel parameters. */
    static int[] channelShape(int rank, int c) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                            double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input with at least 2 dimensions [N, C, ...], got "
                    + Arrays.toString(x.shape()));
        }
        int c = x.size(1);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && t.numel() != c) {
                throw new IllegalArgumentException("batch_norm: running_mean, running_var, weight and bias should have " + c
                        + " elements (the input's channels " + Arrays.toString(x.shape()) + "), got " + Arrays.toString(t.shape()));
            }
        }
        int[] dims = new int[x.dim() - 1];
        dims[0] = 0;
        for (int i = 2; i < x.dim(); i++) dims[i - 1] = i;
        int[] cs = channelShape(x.dim(), c);
        int count = Shape.numel(x) / Math.max(c, 1);
        Tensor mean, var;
        if (training || runningMean == null || runningVar == null) {
            if (training && count <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                        + Arrays.toString(x.shape()));
            }
            mean = x.mean(dims, true);
            var = x.var(dims, 0, true);
            if (training && runningMean != null && runningVar != null) {
                try (var _ = Sinter.noGrad()) {
                    Tensor m = mean.detach().reshape(c), v = var.detach().reshape(c).mul((double) count / (count - 1));
                    runningMean.mul_(1 - momentum).add_(m.mul(momentum).to(runningMean.dtype()));
                    runningVar.mul_(1 - momentum).add_(v.mul(momentum).to(runningVar.dtype()));
                }
            }
        } else {
            mean = runningMean.reshape(cs);
            var = runningVar.reshape(cs);
        }
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(weight.reshape(cs));
        if (bias != null) y = y.add(bias.reshape(cs));
        return y;
    }

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length, r = x.dim();
        boolean ok = k >= 1 && k <= r;
        for (int i = 0; ok && i < k; i++) ok = x.size(r - k + i) == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException("layer_norm: Given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], but got input of size" + Arrays.toString(x.shape()));
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new IllegalArgumentException("layer_norm: Expected weight and bias of shape " + Arrays.toString(normalizedShape)
                        + ", got " + Arrays.toString(t.shape()));
            }
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = r - k + i;
        Tensor mean = x.mean(dims, true), var = x.var(dims, 0, true);
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("group_norm: Expected at least 2 dimensions for input tensor but received " + x.dim());
        }
        int n = x.size(0), c = x.size(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("group_norm: Expected number of channels in input to be divisible by num_groups, but got input of shape "
                    + Arrays.toString(x.shape()) + " and num_groups=" + groups);
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && (t.dim() != 1 || t.numel() != c)) {
                throw new IllegalArgumentException("group_norm: Expected weight and bias to be vectors of size " + c + ", got "
                        + Arrays.toString(t.shape()));
            }
        }
        Tensor g = x.reshape(n, groups, -1);
        Tensor mean = g.mean(2, true), var = g.var(new int[] {2}, 0, true);
        Tensor y = g.sub(mean).mul(var.add(eps).rsqrt()).reshape(x.shape());
        int[] cs = channelShape(x.dim(), c);
        if (weight != null) y = y.mul(weight.reshape(cs));
        if (bias != null) y = y.add(bias.reshape(cs));
        return y;
    }
}
