package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;

/**
 * Movement pruning for fine-tuning (Sanh, Wolf and Rush, "Movement Pruning", 2020): each weight has
 * a learned importance score; the forward uses {@code W ⊙ TopK(S)}, and the scores learn through
 * the mask with the straight-through estimator, {@code ∂L/∂S = ∂L/∂W' ⊙ W}. Weights moving away
 * from zero gain score and are kept, whatever their size at the start; a pruned weight can come back.
 *
 * <p>Sinter's modules have no forward pre-hooks, so the pruner swaps the parameter's data around
 * the step: {@link #beforeForward()} writes {@code W ⊙ M} into the parameter, {@link #afterBackward()}
 * accumulates the scores' gradient, restores the full {@code W}, masks W's gradient (a pruned weight
 * gets none, as through the product) and updates the scores; then the optimizer steps on W.
 * {@link #finish()} leaves {@code W ⊙ M} as an ordinary weight. The kept fraction per layer
 * follows {@code sparsity(step)} (e.g. an {@link AgpSchedule}); scores start at zero with ties
 * broken by magnitude, so the first mask is the magnitude mask.
 */
public final class MovementPruner {
    private final class State {
        final Tensor param;
        final float[] scores, full;
        float[] mask;

        State(Tensor param) {
            this.param = param;
            this.full = param.toFloatArray();
            this.scores = new float[full.length];
            this.mask = new float[full.length];
            java.util.Arrays.fill(mask, 1f);
        }
    }

    private final List<State> states = new ArrayList<>();
    private final AgpSchedule schedule;
    private final double scoreLr;
    private int step;
    private boolean swapped;

    public MovementPruner(List<PruneTarget> targets, AgpSchedule schedule, double scoreLr) {
        if (targets.isEmpty()) throw new IllegalArgumentException("movement pruning: no parameters to prune");
        if (!(scoreLr > 0)) throw new IllegalArgumentException("movement pruning: score learning rate must be > 0, got " + scoreLr);
        for (PruneTarget t : targets) states.add(new State(t.parameter()));
        this.schedule = schedule;
        this.scoreLr = scoreLr;
        updateMasks();
    }

    /** Puts {@code W ⊙ M} into each parameter for the forward. */
    public void beforeForward() {
        if (swapped) throw new IllegalStateException("movement pruning: beforeForward called twice without afterBackward");
        try (var _ = Sinter.noGrad()) {
            for (State s : states) {
                System.arraycopy(s.param.toFloatArray(), 0, s.full, 0, s.full.length);
                float[] masked = s.full.clone();
                for (int i = 0; i < masked.length; i++) masked[i] *= s.mask[i];
                s.param.copy_(Tensor.of(masked, s.param.shape()));
            }
        }
        swapped = true;
    }

    /** Learns the scores from the gradient, restores the full weights and masks their gradient; call before the optimizer step. */
    public void afterBackward() {
        if (!swapped) throw new IllegalStateException("movement pruning: afterBackward called without beforeForward");
        try (var _ = Sinter.noGrad()) {
            for (State s : states) {
                Tensor g = s.param.grad();
                if (g != null) {
                    float[] grad = g.toFloatArray();
                    // S <- S - lr * dL/dS with dL/dS = dL/dW' * W (straight-through the TopK mask).
                    for (int i = 0; i < grad.length; i++) s.scores[i] -= (float) (scoreLr * grad[i] * s.full[i]);
                    for (int i = 0; i < grad.length; i++) grad[i] *= s.mask[i];
                    g.copy_(Tensor.of(grad, g.shape()));
                }
                s.param.copy_(Tensor.of(s.full, s.param.shape()));
            }
        }
        swapped = false;
        step++;
        updateMasks();
    }

    /** The current target sparsity. */
    public double sparsity() {
        return schedule.sparsityAt(step);
    }

    /** The current mask of target {@code i} (in the order given). */
    public float[] mask(int i) {
        return states.get(i).mask.clone();
    }

    /** Leaves each parameter as {@code W ⊙ M}, an ordinary (sparse) weight. */
    public void finish() {
        if (swapped) throw new IllegalStateException("movement pruning: finish called between beforeForward and afterBackward");
        try (var _ = Sinter.noGrad()) {
            for (State s : states) {
                float[] w = s.param.toFloatArray();
                for (int i = 0; i < w.length; i++) w[i] *= s.mask[i];
                s.param.copy_(Tensor.of(w, s.param.shape()));
            }
        }
    }

    private void updateMasks() {
        double sparsity = schedule.sparsityAt(step);
        for (State s : states) {
            int n = s.scores.length;
            int prune = (int) Math.rint(sparsity * n);
            double[] rank = new double[n];
            double maxAbs = 0;
            for (float v : s.full) maxAbs = Math.max(maxAbs, Math.abs(v));
            // Scores first; a tiny magnitude term only breaks ties (all scores are zero at the start).
            for (int i = 0; i < n; i++) rank[i] = s.scores[i] + 1e-12 * Math.abs(s.full[i]) / Math.max(maxAbs, 1e-30);
            float[] mask = new float[n];
            java.util.Arrays.fill(mask, 1f);
            for (int i : Ranking.smallest(rank, prune)) mask[i] = 0f;
            s.mask = mask;
        }
    }
}
