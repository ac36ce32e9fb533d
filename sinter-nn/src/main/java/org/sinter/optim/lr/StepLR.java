package org.sinter.optim.lr;

import org.sinter.optim.Optimizer;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs (PyTorch's {@code StepLR}). */
public class StepLR extends LRScheduler {
    public final int stepSize;
    public final double gamma;

    @SuppressWarnings("this-escape") // the initial step (computeLr) runs in the constructor, as in PyTorch; fields it reads are set first
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer, -1);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lr;
    }
}
