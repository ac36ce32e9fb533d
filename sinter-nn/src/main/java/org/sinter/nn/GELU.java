package org.sinter.nn;

import org.sinter.Tensor;

/**
 * Gaussian error linear unit {@code x · Φ(x)} (PyTorch's {@code nn.GELU}); {@code approximate}
 * "none" (exact, the default) or "tanh".
 */
public class GELU extends Module {
    public final String approximate;

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    public GELU() {
        this("none");
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu(approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
