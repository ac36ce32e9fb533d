package org.sinter.optim.lr;

import org.sinter.optim.Optimizer;

/** Multiplies the learning rate by {@code gamma} every epoch (PyTorch's {@code ExponentialLR}). */
public class ExponentialLR extends LRScheduler {
    public final double gamma;

    @SuppressWarnings("this-escape") // the initial step (computeLr) runs in the constructor, as in PyTorch; fields it reads are set first
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer, -1);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, lastEpoch);
        return lr;
    }
}
