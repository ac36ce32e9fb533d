package org.sinter.nn;

import org.sinter.Tensor;

/**
 * Inverted dropout for the recurrent and attention layers: zeroes each element with probability
 * p and scales the rest by 1/(1 − p). Package-private stand-in until the shared
 * {@code org.sinter.nn.functional.F.dropout} is on main; the layers then call that instead.
 */
final class Dropouts {
    private Dropouts() {}

    static Tensor dropout(Tensor x, double p, boolean training) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        Tensor keep = Tensor.rand(x.dtype(), x.shape()).ge(p).to(x.dtype()).mul(1 / (1 - p));
        return x.mul(keep);
    }
}
