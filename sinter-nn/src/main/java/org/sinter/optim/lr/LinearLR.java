package org.sinter.optim.lr;

import org.sinter.optim.Optimizer;

/**
 * Scales the base rate by a factor moving linearly from {@code startFactor} to {@code endFactor}
 * over {@code totalIters} epochs, then holds it (PyTorch's {@code LinearLR}); the usual warm-up,
 * chained after with {@link SequentialLR}. Defaults 1/3 → 1 over 5 epochs.
 */
public class LinearLR extends LRScheduler {
    public final double startFactor, endFactor;
    public final int totalIters;

    @SuppressWarnings("this-escape") // the initial step (computeLr) runs in the constructor, as in PyTorch; fields it reads are set first
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer, -1);
        if (startFactor > 1 || startFactor <= 0) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1, got " + startFactor);
        }
        if (endFactor > 1 || endFactor < 0) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lr.length; i++) lr[i] *= startFactor;
            return lr;
        }
        if (lastEpoch > totalIters) return lr;
        double f = 1 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }
}
