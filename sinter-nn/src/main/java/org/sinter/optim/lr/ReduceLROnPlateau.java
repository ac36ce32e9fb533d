package org.sinter.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.io.Stateful;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * Cuts the learning rate by {@code factor} when a metric has stopped improving for more than
 * {@code patience} epochs (PyTorch's {@code ReduceLROnPlateau}). Call {@link #step(double)} with
 * the validation metric each epoch. Improvement is relative ("rel": better than best·(1 ∓ threshold))
 * or absolute ("abs": better than best ∓ threshold); after a cut, {@code cooldown} epochs pass
 * before bad epochs count again; rates never go below {@code minLr}, and cuts smaller than
 * {@code eps} are skipped.
 */
public class ReduceLROnPlateau implements Stateful {
    /** Keyword options with PyTorch's defaults. */
    public static final class Options {
        String mode = "min", thresholdMode = "rel";
        double factor = 0.1, threshold = 1e-4, minLr = 0, eps = 1e-8;
        int patience = 10, cooldown = 0;

        /** "min" (a loss) or "max" (an accuracy). */
        public Options mode(String v) { mode = v; return this; }
        public Options factor(double v) { factor = v; return this; }
        public Options patience(int v) { patience = v; return this; }
        public Options threshold(double v) { threshold = v; return this; }
        /** "rel" or "abs". */
        public Options thresholdMode(String v) { thresholdMode = v; return this; }
        public Options cooldown(int v) { cooldown = v; return this; }
        public Options minLr(double v) { minLr = v; return this; }
        public Options eps(double v) { eps = v; return this; }
    }

    public static Options options() {
        return new Options();
    }

    private final Optimizer optimizer;
    private final Options o;
    private final double[] minLrs;
    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        if (options.factor >= 1) throw new IllegalArgumentException("Factor should be < 1.0.");
        if (!options.mode.equals("min") && !options.mode.equals("max")) throw new IllegalArgumentException("mode " + options.mode + " is unknown!");
        if (!options.thresholdMode.equals("rel") && !options.thresholdMode.equals("abs")) {
            throw new IllegalArgumentException("threshold mode " + options.thresholdMode + " is unknown!");
        }
        this.optimizer = optimizer;
        this.o = options;
        minLrs = new double[optimizer.paramGroups().size()];
        java.util.Arrays.fill(minLrs, options.minLr);
        best = options.mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, options());
    }

    /** Records this epoch's metric and reduces the rates when it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > o.patience) {
            reduce();
            cooldownCounter = o.cooldown;
            numBadEpochs = 0;
        }
    }

    private void reduce() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double next = Math.max(old * o.factor, minLrs[i]);
            if (old - next > o.eps) groups.get(i).setLr(next);
        }
    }

    private boolean isBetter(double a) {
        boolean rel = o.thresholdMode.equals("rel");
        if (o.mode.equals("min")) return rel ? a < best * (1 - o.threshold) : a < best - o.threshold;
        return rel ? a > best * (o.threshold + 1) : a > best + o.threshold;
    }

    /** The groups' current rates. */
    public double[] getLastLr() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    public double best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        return Map.of();
    }

    /** Position for checkpoints. */
    @Override
    public Map<String, Object> stateValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best", best);
        m.put("num_bad_epochs", (long) numBadEpochs);
        m.put("cooldown_counter", (long) cooldownCounter);
        m.put("last_epoch", (long) lastEpoch);
        return m;
    }

    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
        best = ((Number) values.get("best")).doubleValue();
        numBadEpochs = ((Number) values.get("num_bad_epochs")).intValue();
        cooldownCounter = ((Number) values.get("cooldown_counter")).intValue();
        lastEpoch = ((Number) values.get("last_epoch")).intValue();
    }
}
