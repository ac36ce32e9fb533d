package org.sinter.optim;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * Adagrad (PyTorch's {@code torch.optim.Adagrad}): per-coordinate steps scaled by the root of the
 * sum of all squared gradients so far, with a decaying learning rate
 * {@code lr / (1 + (t − 1)·lr_decay)}. Defaults lr 1e-2, eps 1e-10, initial accumulator 0.
 */
public class Adagrad extends Optimizer {
    /** Options with PyTorch's defaults. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super(Map.of("lr", 1e-2, "lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0, "eps", 1e-10,
                    "maximize", false));
        }

        public Options lrDecay(double v) { return put("lr_decay", v); }
        public Options initialAccumulatorValue(double v) { return put("initial_accumulator_value", v); }
        public Options eps(double v) { return put("eps", v); }
    }

    public static Options options() {
        return new Options();
    }

    @SuppressWarnings("this-escape") // creates its state eagerly in the constructor, as PyTorch does
    public Adagrad(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
        // PyTorch creates the accumulators eagerly, so they exist (and are exported) before the first step.
        for (ParamGroup g : paramGroups()) for (Tensor p : g.params()) initState(g, p);
    }

    public Adagrad(Iterable<Tensor> params, Options options) {
        this(List.of(ParamGroup.of(params)), options);
    }

    private void initState(ParamGroup g, Tensor p) {
        Map<String, Object> st = stateFor(p);
        if (!st.containsKey("sum")) {
            st.put("step", 0L);
            st.put("sum", Tensor.fullLike(p, g.getDouble("initial_accumulator_value")));
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        require(g.lr() >= 0, "Invalid learning rate: " + g.lr());
        require(g.getDouble("lr_decay") >= 0, "Invalid lr_decay value: " + g.getDouble("lr_decay"));
        require(g.getDouble("weight_decay") >= 0, "Invalid weight_decay value: " + g.getDouble("weight_decay"));
        require(g.getDouble("initial_accumulator_value") >= 0, "Invalid initial_accumulator_value value: " + g.getDouble("initial_accumulator_value"));
        require(g.getDouble("eps") >= 0, "Invalid epsilon value: " + g.getDouble("eps"));
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> st) {
        if (!st.containsKey("sum")) initState(g, p);
        double lr = g.lr(), wd = g.getDouble("weight_decay");
        Tensor d = direction(grad, g.getBoolean("maximize"));
        long step = nextStep(st);
        if (wd != 0) d = d.add(p, wd);
        double clr = lr / (1 + (step - 1) * g.getDouble("lr_decay"));
        Tensor sum = (Tensor) st.get("sum");
        sum.addcmul_(d, d, 1);
        Tensor std = sum.sqrt().add_(g.getDouble("eps"));
        p.addcdiv_(d, std, -clr);
    }
}
