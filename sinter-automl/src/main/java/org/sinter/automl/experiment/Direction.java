package org.sinter.automl.experiment;

/** Whether the trial metric is to be minimised or maximised (NNI's optimize_mode). */
public enum Direction {
    MINIMIZE, MAXIMIZE;

    /** The metric as a loss, lower is better: what tuners and assessors see. */
    public double toLoss(double metric) {
        return this == MINIMIZE ? metric : -metric;
    }

    public boolean better(double a, double b) {
        return toLoss(a) < toLoss(b);
    }
}
