package org.sinter.optim.lr;

import org.sinter.optim.Optimizer;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs (PyTorch's
 * {@code CosineAnnealingLR}, SGDR without restarts); past tMax the cosine continues, rising again.
 * <pre>
 * lr_t = etaMin + (base − etaMin)·(1 + cos(π·t / tMax)) / 2
 * </pre>
 */
public class CosineAnnealingLR extends LRScheduler {
    public final int tMax;
    public final double etaMin;

    @SuppressWarnings("this-escape") // the initial step (computeLr) runs in the constructor, as in PyTorch; fields it reads are set first
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer, -1);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lr.length; i++) lr[i] = lr[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lr;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lr.length; i++) lr[i] = ratio * (lr[i] - etaMin) + etaMin;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) lr[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        return lr;
    }
}
