package org.sinter.compress.distill;

import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * Feature matching (FitNets, Romero et al. 2015): a learned linear projection maps the student's
 * hidden features to the teacher's width, and the mean squared error between the projection and
 * the teacher's features is added to the loss. The projection's parameters train with the student.
 */
public final class FeatureMatching extends Module {
    public final Linear projection;
    public final double weight;

    public FeatureMatching(int studentFeatures, int teacherFeatures, double weight) {
        if (!(weight >= 0)) throw new IllegalArgumentException("feature matching: weight must be >= 0, got " + weight);
        this.projection = registerModule("projection", new Linear(studentFeatures, teacherFeatures));
        this.weight = weight;
    }

    /** {@code weight · MSE(projection(student), teacher)} for features (N, ...) flattened per example. */
    public Tensor loss(Tensor studentFeatures, Tensor teacherFeatures) {
        int n = studentFeatures.size(0);
        Tensor s = studentFeatures.reshape(n, -1), t = teacherFeatures.detach().reshape(n, -1);
        if (s.size(1) != projection.inFeatures || t.size(1) != projection.outFeatures) {
            throw new IllegalArgumentException("feature matching: expected student features of width " + projection.inFeatures
                    + " and teacher features of width " + projection.outFeatures + ", got " + studentFeatures.describe() + " and " + teacherFeatures.describe());
        }
        return F.mseLoss(projection.forward(s), t).mul(weight);
    }
}
