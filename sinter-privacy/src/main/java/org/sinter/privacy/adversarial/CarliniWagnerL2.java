package org.sinter.privacy.adversarial;

import java.util.List;
import org.sinter.GradMode;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;

/**
 * The Carlini-Wagner L2 attack (Carlini and Wagner 2017, untargeted): for each sample, the smallest
 * perturbation found that changes the prediction, by minimising
 * {@code ‖x' − x‖₂² + c · max(Z_y − max_{i≠y} Z_i + κ, 0)} over {@code x' = mid + half·tanh(x̃ + m)}
 * (the change of variables that keeps {@code x'} in the input box without clipping) with Adam on
 * {@code m}, and a per-sample binary search over the constant {@code c}.
 *
 * <p>Follows the authors' reference implementation: the logits are the model's output (no softmax);
 * {@code x̃ = atanh(0.999999 · (x − mid)/half)} and distances are measured from
 * {@code mid + half·tanh(x̃)}; the "other" logit is the largest of {@code (1 − t)·Z − 10000·t};
 * every binary-search step restarts {@code m} at zero with a fresh Adam (PyTorch's update rule); the
 * values of an iteration are those before its Adam step; with {@code abortEarly} a search step stops
 * when the total loss has not fallen below 0.9999 of its value {@code maxIterations/10} iterations
 * before; success means the arg-max of the logits, the true class raised by κ, is not the label; a
 * sample's constant is halved towards the last failure after a success, and multiplied by 10 until
 * the first success. A sample never attacked successfully is returned unchanged.
 *
 * @param confidence κ: how far past the decision boundary a success must be
 * @param learningRate Adam's step size
 * @param binarySearchSteps searches over c per sample (≥ 1)
 * @param maxIterations Adam iterations per search step
 * @param initialConst the first c
 * @param abortEarly stop a search step once the loss stalls
 * @param lo lower bound of valid inputs
 * @param hi upper bound of valid inputs
 */
public record CarliniWagnerL2(double confidence, double learningRate, int binarySearchSteps, int maxIterations, double initialConst,
                              boolean abortEarly, double lo, double hi) {
    /** The reference implementation's shrink factor keeping atanh finite at the box's edges. */
    private static final double SHRINK = 0.999999;
    /** Upper end of the binary search: a bound above this means "no success yet". */
    private static final double NO_UPPER = 1e10;

    public CarliniWagnerL2 {
        if (!(confidence >= 0)) throw new IllegalArgumentException("CarliniWagnerL2: confidence κ must be >= 0, got " + confidence);
        if (!(learningRate > 0)) throw new IllegalArgumentException("CarliniWagnerL2: learning rate must be > 0, got " + learningRate);
        if (binarySearchSteps < 1 || maxIterations < 1) {
            throw new IllegalArgumentException("CarliniWagnerL2: need binarySearchSteps >= 1 and maxIterations >= 1, got "
                    + binarySearchSteps + ", " + maxIterations);
        }
        if (!(initialConst > 0)) throw new IllegalArgumentException("CarliniWagnerL2: initial constant must be > 0, got " + initialConst);
        if (!(lo < hi)) throw new IllegalArgumentException("CarliniWagnerL2: need lo < hi, got [" + lo + ", " + hi + "]");
    }

    /** The authors' defaults for MNIST-sized inputs in [0, 1]: κ = 0, lr 0.01, 9 search steps of 1,000 iterations, c from 1e-3. */
    public static CarliniWagnerL2 defaults() {
        return new CarliniWagnerL2(0, 0.01, 9, 1000, 1e-3, true, 0, 1);
    }

    /**
     * The attack's outcome per sample.
     *
     * @param adversarial the best adversarial input found, or the original where none was
     * @param success whether an adversarial input was found (bool, {@code [N]})
     * @param l2 its L2 distance from the (shrunk) original, {@code +∞} where none was found
     * @param constants the constant c each sample ended the search with
     */
    public record Result(Tensor adversarial, Tensor success, double[] l2, double[] constants) {}

    /** Adversarial inputs for {@code x} (first dimension = samples) with labels {@code y}. */
    public Tensor attack(Module model, Tensor x, Tensor y) {
        return run(model, x, y).adversarial();
    }

    public Result run(Module model, Tensor x, Tensor y) {
        int n = x.size(0);
        if (y.dim() != 1 || y.size(0) != n) {
            throw new IllegalArgumentException("CarliniWagnerL2: labels must be [" + n + "], got " + java.util.Arrays.toString(y.shape()));
        }
        double mid = (hi + lo) / 2, half = (hi - lo) / 2;
        Tensor tx, start, oneHot;
        int[] rows = rowShape(x);
        try (var _ = Sinter.noGrad()) {
            Tensor z = x.sub(mid).div(half).mul(SHRINK);
            tx = z.log1p().sub(z.neg().log1p()).mul(0.5); // atanh
            start = tx.tanh().mul(half).add(mid);
            int classes = model.forward(x.narrow(0, 0, Math.min(1, n))).size(1);
            oneHot = Tensor.zeros(x.dtype(), n, classes).scatter(1, y.reshape(n, 1), 1.0);
        }
        long[] labels = y.toLongArray();
        double[] lower = new double[n], upper = new double[n], c = new double[n];
        double[] bestL2 = new double[n];
        java.util.Arrays.fill(upper, NO_UPPER);
        java.util.Arrays.fill(c, initialConst);
        java.util.Arrays.fill(bestL2, Double.POSITIVE_INFINITY);
        boolean[] found = new boolean[n];
        Tensor best = x.detach().clone();

        for (int search = 0; search < binarySearchSteps; search++) {
            Tensor m = Tensor.zeros(x.dtype(), x.shape()).requiresGrad(true);
            Adam adam = new Adam(List.of(m), Adam.options().lr(learningRate));
            Tensor consts = Tensor.of(c.clone(), n).to(x.dtype());
            double[] stepL2 = new double[n];
            java.util.Arrays.fill(stepL2, Double.POSITIVE_INFINITY);
            boolean[] stepSuccess = new boolean[n];
            double previous = Double.POSITIVE_INFINITY;
            for (int it = 0; it < maxIterations; it++) {
                Tensor adv, logits, dist, loss;
                try (var _ = GradMode.set(true)) {
                    adv = tx.add(m).tanh().mul(half).add(mid);
                    logits = model.forward(adv);
                    dist = adv.sub(start).pow(2).reshape(n, -1).sum(1, false);
                    Tensor real = logits.mul(oneHot).sum(1, false);
                    Tensor other = logits.mul(oneHot.neg().add(1)).sub(oneHot.mul(10000)).amax(new int[] {1}, false);
                    Tensor margin = real.sub(other).add(confidence).clampMin(0);
                    loss = dist.sum().add(consts.mul(margin).sum());
                }
                adam.zeroGrad();
                loss.backward();
                double total = loss.item();
                if (abortEarly && it % Math.max(1, maxIterations / 10) == 0) {
                    if (total > previous * 0.9999) break;
                    previous = total;
                }
                double[] d = dist.detach().toDoubleArray();
                boolean[] ok = succeeded(logits.detach(), labels);
                Tensor advNow = adv.detach();
                boolean[] improve = new boolean[n];
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    if (ok[i] && d[i] < stepL2[i]) {
                        stepL2[i] = d[i];
                        stepSuccess[i] = true;
                    }
                    if (ok[i] && d[i] < bestL2[i]) {
                        bestL2[i] = d[i];
                        found[i] = true;
                        improve[i] = true;
                        any = true;
                    }
                }
                if (any) {
                    try (var _ = Sinter.noGrad()) {
                        best = Tensor.where(Tensor.of(improve, n).reshape(rows), advNow, best);
                    }
                }
                adam.step();
            }
            for (int i = 0; i < n; i++) {
                if (stepSuccess[i]) {
                    upper[i] = Math.min(upper[i], c[i]);
                    if (upper[i] < NO_UPPER * 0.1) c[i] = (lower[i] + upper[i]) / 2;
                } else {
                    lower[i] = Math.max(lower[i], c[i]);
                    c[i] = upper[i] < NO_UPPER * 0.1 ? (lower[i] + upper[i]) / 2 : c[i] * 10;
                }
            }
        }
        double[] l2 = new double[n];
        for (int i = 0; i < n; i++) l2[i] = found[i] ? Math.sqrt(bestL2[i]) : Double.POSITIVE_INFINITY;
        return new Result(best, Tensor.of(found, n), l2, c);
    }

    /** Arg-max of the logits with the true class raised by κ differs from the label. */
    private boolean[] succeeded(Tensor logits, long[] labels) {
        int n = labels.length, k = logits.size(1);
        double[] z = logits.toDoubleArray();
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            int arg = 0;
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double v = z[i * k + j] + (j == labels[i] ? confidence : 0);
                if (v > top) {
                    top = v;
                    arg = j;
                }
            }
            ok[i] = arg != labels[i];
        }
        return ok;
    }

    private static int[] rowShape(Tensor t) {
        int[] s = new int[t.dim()];
        java.util.Arrays.fill(s, 1);
        s[0] = t.size(0);
        return s;
    }
}
