package org.sinter.optim.lr;

import java.util.Arrays;
import org.sinter.optim.Optimizer;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch (PyTorch's
 * {@code MultiStepLR}); a milestone listed twice applies gamma twice.
 */
public class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    public final double gamma;

    @SuppressWarnings("this-escape") // the initial step (computeLr) runs in the constructor, as in PyTorch; fields it reads are set first
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer, -1);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public int[] milestones() {
        return milestones.clone();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        int count = 0;
        for (int m : milestones) if (m == lastEpoch) count++;
        if (count == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, count);
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, passed);
        return lr;
    }
}
