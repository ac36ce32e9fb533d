package org.sinter.data.transforms;

import java.util.Arrays;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * Per-channel {@code (x - mean[c]) / std[c]} for a tensor {@code [..., C, H, W]}
 * (torchvision's {@code Normalize}).
 *
 * <pre>{@code
 * var norm = new Normalize(new double[] {0.1307}, new double[] {0.3081});   // MNIST's statistics
 * }</pre>
 */
public final class Normalize implements Transform<Tensor, Tensor> {
    private final double[] mean;
    private final double[] std;
    private final Tensor meanT;
    private final Tensor stdT;

    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("Normalize: std values must be positive, got " + Arrays.toString(std));
        }
        this.mean = mean.clone();
        this.std = std.clone();
        float[] m = new float[mean.length], s = new float[std.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = (float) mean[c];
            s[c] = (float) std[c];
        }
        this.meanT = Tensor.of(m, m.length, 1, 1);
        this.stdT = Tensor.of(s, s.length, 1, 1);
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        if (x.dim() < 3 || x.size(-3) != mean.length) {
            throw new IllegalArgumentException("Normalize: expected a tensor [..., C, H, W] with C = " + mean.length + ", got " + x.describe());
        }
        if (!x.isFloatingPoint()) throw new IllegalArgumentException("Normalize: expected a floating point tensor, got " + x.describe());
        return x.sub(meanT).div(stdT);
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
