package org.sinter.privacy.adversarial;

import java.util.Arrays;
import java.util.Objects;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;

/**
 * The shadow-model membership-inference attack (Shokri, Stronati, Song and Shmatikov 2017): the
 * attacker trains k shadow models with the target's recipe on disjoint data of the same
 * distribution, so that it knows which examples each shadow saw; the shadows' outputs on their own
 * training data ("in") and on held-back data ("out") train an attack classifier, which is then
 * applied to the target's outputs.
 *
 * <p>One attack classifier for all classes (as Salem et al.'s ML-Leaks simplification) on features
 * that do not depend on the class order: the log-probabilities sorted in decreasing order and the
 * log-probability of the true label (the per-class attack's label information, carried as one
 * feature). The classifier is a small MLP (32 hidden units) trained full-batch with Adam on the
 * standardised features; its decision at probability ½ gives the reported advantage TPR − FPR, with
 * no threshold tuned on the target.
 */
public final class ShadowModelAttack {
    /** Trains a model of the target's recipe on {@code (x, y)}; the attacker calls it once per shadow. */
    @FunctionalInterface
    public interface Recipe {
        Module train(Tensor x, Tensor y, long seed);
    }

    /** The attack's outcome on the target: TPR and FPR at the classifier's decision. */
    public record Result(double truePositiveRate, double falsePositiveRate) {
        public double advantage() {
            return truePositiveRate - falsePositiveRate;
        }
    }

    private static final int HIDDEN = 32, ITERATIONS = 400;
    private static final double LR = 0.01;

    private final Module classifier;
    private final double[] mean, std;

    private ShadowModelAttack(Module classifier, double[] mean, double[] std) {
        this.classifier = classifier;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Trains {@code shadows} shadow models, the j-th on rows {@code [2jm, 2jm + m)} of the attacker's
     * pool {@code (x, y)} with rows {@code [2jm + m, 2(j+1)m)} held out ({@code m = perShadow}), and
     * the attack classifier on their outputs.
     */
    public static ShadowModelAttack train(Recipe recipe, Tensor x, Tensor y, int shadows, int perShadow, long seed) {
        Objects.requireNonNull(recipe, "recipe");
        if (shadows < 1 || perShadow < 1) throw new IllegalArgumentException("ShadowModelAttack: need shadows >= 1 and perShadow >= 1, got "
                + shadows + ", " + perShadow);
        long need = 2L * shadows * perShadow;
        if (x.size(0) < need) throw new IllegalArgumentException("ShadowModelAttack: " + shadows + " shadows of " + perShadow
                + " in + " + perShadow + " out need " + need + " rows of shadow data, got " + x.size(0));
        double[][] features = new double[2 * shadows * perShadow][];
        double[] labels = new double[features.length];
        int row = 0;
        for (int j = 0; j < shadows; j++) {
            int start = 2 * j * perShadow;
            Tensor inX = x.narrow(0, start, perShadow), inY = y.narrow(0, start, perShadow);
            Tensor outX = x.narrow(0, start + perShadow, perShadow), outY = y.narrow(0, start + perShadow, perShadow);
            Module shadow = recipe.train(inX, inY, seed + 1000L * (j + 1));
            for (double[] f : features(shadow, inX, inY)) { features[row] = f; labels[row++] = 1; }
            for (double[] f : features(shadow, outX, outY)) { features[row] = f; labels[row++] = 0; }
        }
        int d = features[0].length;
        double[] mean = new double[d], std = new double[d];
        for (double[] f : features) for (int i = 0; i < d; i++) mean[i] += f[i] / features.length;
        for (double[] f : features) for (int i = 0; i < d; i++) std[i] += (f[i] - mean[i]) * (f[i] - mean[i]) / features.length;
        for (int i = 0; i < d; i++) std[i] = Math.sqrt(std[i]) + 1e-8;
        Sinter.manualSeed(seed);
        Module classifier = new Sequential(new Linear(d, HIDDEN), new ReLU(), new Linear(HIDDEN, 2));
        classifier.to(DType.FLOAT64);
        var attack = new ShadowModelAttack(classifier, mean, std);
        Tensor fx = attack.standardised(features);
        long[] target = new long[labels.length];
        for (int i = 0; i < labels.length; i++) target[i] = (long) labels[i];
        Tensor fy = Tensor.of(target, target.length);
        var adam = new Adam(classifier.parameters(), LR);
        for (int it = 0; it < ITERATIONS; it++) {
            adam.zeroGrad();
            F.crossEntropy(classifier.forward(fx), fy).backward();
            adam.step();
        }
        classifier.eval();
        return attack;
    }

    /** The attack's decisions on the target's members and non-members. */
    public Result evaluate(Module target, Tensor memberX, Tensor memberY, Tensor otherX, Tensor otherY) {
        double tpr = memberRate(target, memberX, memberY), fpr = memberRate(target, otherX, otherY);
        return new Result(tpr, fpr);
    }

    /** Fraction of the rows the attack calls members. */
    public double memberRate(Module target, Tensor x, Tensor y) {
        boolean[] member = predict(features(target, x, y));
        int count = 0;
        for (boolean m : member) if (m) count++;
        return (double) count / member.length;
    }

    private boolean[] predict(double[][] features) {
        try (var _ = Sinter.noGrad()) {
            Tensor logits = classifier.forward(standardised(features));
            return logits.argmax(1, false).eq(1).toBooleanArray();
        }
    }

    private Tensor standardised(double[][] features) {
        int d = mean.length;
        double[] flat = new double[features.length * d];
        for (int r = 0; r < features.length; r++) for (int i = 0; i < d; i++) flat[r * d + i] = (features[r][i] - mean[i]) / std[i];
        return Tensor.of(flat, features.length, d);
    }

    /**
     * Per row: the model's log-probabilities sorted in decreasing order, then the log-probability of
     * the true label (each floored at log 1e-30 so that a confident model's zeros stay finite).
     */
    static double[][] features(Module model, Tensor x, Tensor y) {
        double[] logp;
        int classes;
        try (var _ = Sinter.noGrad()) {
            boolean training = model.isTraining();
            model.eval();
            Tensor out = model.forward(x).to(DType.FLOAT64).logSoftmax(1);
            if (training) model.train();
            classes = out.size(1);
            logp = out.contiguous().toDoubleArray();
        }
        long[] labels = y.toLongArray();
        double floor = Math.log(1e-30);
        double[][] f = new double[labels.length][];
        for (int r = 0; r < labels.length; r++) {
            double[] row = Arrays.copyOfRange(logp, r * classes, (r + 1) * classes);
            double own = row[(int) labels[r]];
            Arrays.sort(row);
            f[r] = new double[classes + 1];
            for (int i = 0; i < classes; i++) f[r][i] = Math.max(floor, row[classes - 1 - i]);
            f[r][classes] = Math.max(floor, own);
        }
        return f;
    }
}
