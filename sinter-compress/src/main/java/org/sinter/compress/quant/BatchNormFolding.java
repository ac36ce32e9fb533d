package org.sinter.compress.quant;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;

/**
 * Folds an eval-mode BatchNorm2d into the convolution before it (PyTorch's
 * {@code fuse_conv_bn_eval}): {@code w' = w * gamma / sqrt(var + eps)} per output channel and
 * {@code b' = (b - mean) * gamma / sqrt(var + eps) + beta}.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    public static Conv2d fold(Conv2d conv, BatchNorm2d bn) {
        if (bn.numFeatures != conv.outChannels) {
            throw new IllegalArgumentException("cannot fold BatchNorm2d(" + bn.numFeatures + ") into a convolution with " + conv.outChannels + " output channels");
        }
        if (!bn.trackRunningStats) throw new IllegalArgumentException("cannot fold a BatchNorm2d without running statistics");
        if (!conv.paddingMode.equals("zeros") || conv.paddingString != null) {
            throw new IllegalArgumentException("BN folding supports zero-padded convolutions with numeric padding, got padding_mode=" + conv.paddingMode);
        }
        Conv2d out = new Conv2d(conv.inChannels, conv.outChannels, conv.kernelSize, conv.stride, conv.padding, conv.dilation, conv.groups, true, "zeros");
        int co = conv.outChannels;
        float[] mean = bn.runningMean.toFloatArray(), var = bn.runningVar.toFloatArray();
        float[] gamma = bn.affine ? bn.weight.toFloatArray() : ones(co), beta = bn.affine ? bn.bias.toFloatArray() : new float[co];
        float[] b = conv.bias != null ? conv.bias.toFloatArray() : new float[co];
        float[] w = conv.weight.toFloatArray();
        int per = w.length / co;
        float[] nb = new float[co];
        for (int c = 0; c < co; c++) {
            float f = (float) (gamma[c] / Math.sqrt(var[c] + bn.eps));
            for (int i = 0; i < per; i++) w[c * per + i] *= f;
            nb[c] = (b[c] - mean[c]) * f + beta[c];
        }
        try (var _ = Sinter.noGrad()) {
            out.weight.copy_(Tensor.of(w, conv.weight.shape()));
            out.bias.copy_(Tensor.of(nb, co));
        }
        out.eval();
        return out;
    }

    private static float[] ones(int n) {
        float[] o = new float[n];
        java.util.Arrays.fill(o, 1f);
        return o;
    }
}
