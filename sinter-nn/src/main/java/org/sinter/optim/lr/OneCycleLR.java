package org.sinter.optim.lr;

import java.util.ArrayList;
import java.util.List;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * The 1cycle policy (PyTorch's {@code OneCycleLR}), stepped once per batch: the rate rises from
 * {@code maxLr/divFactor} to {@code maxLr} over the first {@code pctStart} of the steps, then
 * anneals to {@code initial/finalDivFactor}; momentum (or Adam's beta1) moves inversely between
 * {@code maxMomentum} and {@code baseMomentum}. With {@code threePhase}, the rate first comes back
 * down symmetrically before the final annealing.
 */
public class OneCycleLR extends LRScheduler {
    /** Keyword options with PyTorch's defaults. */
    public static final class Options {
        int totalSteps = -1, epochs = -1, stepsPerEpoch = -1;
        double pctStart = 0.3, baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4;
        String annealStrategy = "cos";
        boolean cycleMomentum = true, threePhase = false;

        public Options totalSteps(int v) { totalSteps = v; return this; }
        /** With {@link #stepsPerEpoch}, an alternative to totalSteps. */
        public Options epochs(int v) { epochs = v; return this; }
        public Options stepsPerEpoch(int v) { stepsPerEpoch = v; return this; }
        public Options pctStart(double v) { pctStart = v; return this; }
        /** "cos" or "linear". */
        public Options annealStrategy(String v) { annealStrategy = v; return this; }
        public Options cycleMomentum(boolean v) { cycleMomentum = v; return this; }
        public Options baseMomentum(double v) { baseMomentum = v; return this; }
        public Options maxMomentum(double v) { maxMomentum = v; return this; }
        public Options divFactor(double v) { divFactor = v; return this; }
        public Options finalDivFactor(double v) { finalDivFactor = v; return this; }
        public Options threePhase(boolean v) { threePhase = v; return this; }
    }

    public static Options options() {
        return new Options();
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    public final int totalSteps;
    private final boolean cos, cycleMomentum;
    private final List<Phase> phases = new ArrayList<>();
    /** Per group: initial_lr, max_lr, min_lr, max_momentum, base_momentum. */
    private final double[][] bounds;
    private final boolean[] useBeta1;

    /** {@code maxLr} for every group. */
    public OneCycleLR(Optimizer optimizer, double maxLr, Options o) {
        this(optimizer, fill(optimizer, maxLr), o);
    }

    /** One {@code maxLr} per group. */
    @SuppressWarnings("this-escape") // the initial step (computeLr) runs in the constructor, as in PyTorch; fields it reads are set first
    public OneCycleLR(Optimizer optimizer, double[] maxLrs, Options o) {
        super(prepare(optimizer, maxLrs, o), -1);
        if (o.totalSteps > 0) {
            totalSteps = o.totalSteps;
        } else if (o.epochs > 0 && o.stepsPerEpoch > 0) {
            totalSteps = o.epochs * o.stepsPerEpoch;
        } else {
            throw new IllegalArgumentException("OneCycleLR: you must define either total_steps OR (epochs AND steps_per_epoch), all positive");
        }
        if (o.pctStart < 0 || o.pctStart > 1) throw new IllegalArgumentException("OneCycleLR: expected pct_start in [0, 1], got " + o.pctStart);
        if (!o.annealStrategy.equals("cos") && !o.annealStrategy.equals("linear")) {
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got " + o.annealStrategy);
        }
        cos = o.annealStrategy.equals("cos");
        cycleMomentum = o.cycleMomentum;
        if (o.threePhase) {
            phases.add(new Phase(o.pctStart * totalSteps - 1, "initial", "max", "maxM", "baseM"));
            phases.add(new Phase(2 * o.pctStart * totalSteps - 2, "max", "initial", "baseM", "maxM"));
            phases.add(new Phase(totalSteps - 1, "initial", "min", "maxM", "maxM"));
        } else {
            phases.add(new Phase(o.pctStart * totalSteps - 1, "initial", "max", "maxM", "baseM"));
            phases.add(new Phase(totalSteps - 1, "max", "min", "baseM", "maxM"));
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        bounds = new double[groups.size()][];
        useBeta1 = new boolean[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            double initial = maxLrs[i] / o.divFactor;
            bounds[i] = new double[] {initial, maxLrs[i], initial / o.finalDivFactor, o.maxMomentum, o.baseMomentum};
            if (cycleMomentum) {
                ParamGroup g = groups.get(i);
                useBeta1[i] = g.has("betas");
                if (!useBeta1[i] && !g.has("momentum")) {
                    throw new IllegalArgumentException("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
                }
                setMomentum(g, i, o.maxMomentum);
            }
        }
        initialStep();
    }

    private static double[] fill(Optimizer optimizer, double maxLr) {
        double[] a = new double[optimizer.paramGroups().size()];
        java.util.Arrays.fill(a, maxLr);
        return a;
    }

    /** Sets each group's rate to max_lr/div_factor before the base class records initial_lr. */
    private static Optimizer prepare(Optimizer optimizer, double[] maxLrs, Options o) {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (maxLrs.length != groups.size()) {
            throw new IllegalArgumentException("OneCycleLR: expected " + groups.size() + " max_lr values, got " + maxLrs.length);
        }
        for (int i = 0; i < groups.size(); i++) {
            double initial = maxLrs[i] / o.divFactor;
            groups.get(i).setLr(initial);
            groups.get(i).set("initial_lr", initial);
        }
        return optimizer;
    }

    private void setMomentum(ParamGroup g, int i, double m) {
        if (useBeta1[i]) g.set("betas", List.of(m, g.getList("betas").get(1)));
        else g.set("momentum", m);
    }

    private double value(int group, String which) {
        double[] b = bounds[group];
        return switch (which) {
            case "initial" -> b[0];
            case "max" -> b[1];
            case "min" -> b[2];
            case "maxM" -> b[3];
            case "baseM" -> b[4];
            default -> throw new IllegalStateException(which);
        };
    }

    private double anneal(double start, double end, double pct) {
        if (cos) return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
        return (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        if (lastEpoch > totalSteps) {
            throw new IllegalStateException("Tried to step " + lastEpoch + " times. The specified number of total steps is " + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            double startStep = 0;
            for (int k = 0; k < phases.size(); k++) {
                Phase ph = phases.get(k);
                if (lastEpoch <= ph.endStep() || k == phases.size() - 1) {
                    double pct = (lastEpoch - startStep) / (ph.endStep() - startStep);
                    lrs[i] = anneal(value(i, ph.startLr()), value(i, ph.endLr()), pct);
                    if (cycleMomentum) setMomentum(groups.get(i), i, anneal(value(i, ph.startMomentum()), value(i, ph.endMomentum()), pct));
                    break;
                }
                startStep = ph.endStep();
            }
        }
        return lrs;
    }
}
