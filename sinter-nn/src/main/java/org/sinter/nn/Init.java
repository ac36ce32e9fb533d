package org.sinter.nn;

import java.util.Arrays;
import org.sinter.Shape;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;

/**
 * Parameter initializations (PyTorch's {@code torch.nn.init}). Every method fills the tensor in
 * place outside autograd and returns it, so {@code Init.zeros_(linear.bias)} works on parameters.
 * Random draws come from the global generator ({@link Sinter#manualSeed}); the distributions match
 * PyTorch's, the exact random streams do not.
 */
public final class Init {
    private Init() {}

    /** Which fan a Kaiming initialization preserves the variance of. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /**
     * The recommended gain for a nonlinearity: linear, conv*, sigmoid → 1; tanh → 5/3; relu → √2;
     * leaky_relu → √(2 / (1 + slope²)) with {@code param} the slope (0.01 when NaN); selu → 3/4.
     */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity + "'");
        };
    }

    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /**
     * {fan_in, fan_out}: for a weight of shape (out, in, k1, k2, …), fan_in = in·k1·k2·… and
     * fan_out = out·k1·k2·….
     */
    public static int[] fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions, got shape "
                    + Arrays.toString(s));
        }
        int receptive = 1;
        for (int d = 2; d < s.length; d++) receptive *= s[d];
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    private static int fan(Tensor t, FanMode mode) {
        int[] f = fans(t);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }

    public static Tensor uniform_(Tensor t, double a, double b) {
        try (var _ = Sinter.noGrad()) {
            return t.uniform_(a, b);
        }
    }

    public static Tensor normal_(Tensor t, double mean, double std) {
        try (var _ = Sinter.noGrad()) {
            return t.normal_(mean, std);
        }
    }

    public static Tensor constant_(Tensor t, double value) {
        try (var _ = Sinter.noGrad()) {
            return t.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }

    public static Tensor ones_(Tensor t) { return constant_(t, 1); }

    /**
     * He initialization, uniform: U(−b, b) with b = gain·√(3 / fan), gain = calculateGain(nonlinearity, a).
     * PyTorch's defaults are a = 0, FAN_IN, "leaky_relu".
     */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity) {
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(t, -bound, bound);
    }

    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, FanMode.FAN_IN, "leaky_relu"); }

    /** He initialization, normal: N(0, std²) with std = gain / √fan. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity) {
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        return normal_(t, 0, std);
    }

    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, FanMode.FAN_IN, "leaky_relu"); }

    /** Glorot initialization, uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        int[] f = fans(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(t, -a, a);
    }

    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1); }

    /** Glorot initialization, normal: std = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor t, double gain) {
        int[] f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1); }

    /**
     * A (semi-)orthogonal matrix times {@code gain}: the tensor is viewed as rows = size(0) by
     * cols = numel / rows; the rows (or columns, whichever are fewer) are orthonormal. Like PyTorch,
     * it is the Q of the QR decomposition of a Gaussian matrix with R's diagonal made positive.
     */
    public static Tensor orthogonal_(Tensor t, double gain) {
        if (t.dim() < 2) throw new IllegalArgumentException("orthogonal_: only tensors with 2 or more dimensions are supported, got shape "
                + Arrays.toString(t.shape()));
        int rows = t.size(0), cols = Shape.numel(t) / Math.max(rows, 1);
        if (t.numel() == 0) return t;
        // Work on the tall orientation (m ≥ n), so the n columns can be made orthonormal.
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;
        double[] a = Tensor.randn(DType.FLOAT64, m, n).toDoubleArray();
        gramSchmidt(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = a[i * n + j] * gain;
                if (transpose) out[j * cols + i] = v; else out[i * cols + j] = v;
            }
        }
        try (var _ = Sinter.noGrad()) {
            t.copy_(Tensor.of(out, t.shape()));
        }
        return t;
    }

    public static Tensor orthogonal_(Tensor t) { return orthogonal_(t, 1); }

    /**
     * Orthonormalizes the columns of the row-major m×n matrix in place (modified Gram–Schmidt,
     * twice for stability). Each column keeps a positive projection on its original direction,
     * which is the QR convention of a positive diagonal in R.
     */
    private static void gramSchmidt(double[] a, int m, int n) {
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += a[i * n + k] * a[i * n + j];
                    for (int i = 0; i < m; i++) a[i * n + j] -= dot * a[i * n + k];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += a[i * n + j] * a[i * n + j];
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) a[i * n + j] /= norm;
        }
    }
}
