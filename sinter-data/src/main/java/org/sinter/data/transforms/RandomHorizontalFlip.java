package org.sinter.data.transforms;

import org.sinter.Generator;
import org.sinter.Tensor;

/** Mirrors the last dimension (width) with probability {@code p} (torchvision's {@code RandomHorizontalFlip}). */
public final class RandomHorizontalFlip implements Transform<Tensor, Tensor> {
    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        this.p = p;
    }

    public RandomHorizontalFlip() {
        this(0.5);
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        if (x.dim() < 1) throw new IllegalArgumentException("RandomHorizontalFlip: expected a tensor [..., W], got " + x.describe());
        double u;
        synchronized (gen) {
            u = gen.random().nextDouble();
        }
        return u < p ? x.flip(-1) : x;
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
