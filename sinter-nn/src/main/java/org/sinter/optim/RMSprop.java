package org.sinter.optim;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * RMSprop (PyTorch's {@code torch.optim.RMSprop}): divides the gradient by a running root mean
 * square, optionally centered (minus the squared running mean) and with momentum. Defaults lr
 * 1e-2, alpha 0.99, eps 1e-8.
 * <pre>
 * v ← α·v + (1 − α)·g²;  a ← √(v − ḡ²) (centered) or √v;  a ← a + eps
 * b ← μ·b + g/a, θ ← θ − lr·b (momentum)  or  θ ← θ − lr·g/a
 * </pre>
 */
public class RMSprop extends Optimizer {
    /** Options with PyTorch's defaults. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super(Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0, "centered", false, "maximize", false));
        }

        public Options alpha(double v) { return put("alpha", v); }
        public Options eps(double v) { return put("eps", v); }
        public Options momentum(double v) { return put("momentum", v); }
        public Options centered(boolean v) { return put("centered", v); }
    }

    public static Options options() {
        return new Options();
    }

    public RMSprop(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
    }

    public RMSprop(Iterable<Tensor> params, Options options) {
        this(List.of(ParamGroup.of(params)), options);
    }

    @Override
    protected void validate(ParamGroup g) {
        require(g.lr() >= 0, "Invalid learning rate: " + g.lr());
        require(g.getDouble("eps") >= 0, "Invalid epsilon value: " + g.getDouble("eps"));
        require(g.getDouble("momentum") >= 0, "Invalid momentum value: " + g.getDouble("momentum"));
        require(g.getDouble("weight_decay") >= 0, "Invalid weight_decay value: " + g.getDouble("weight_decay"));
        require(g.getDouble("alpha") >= 0, "Invalid alpha value: " + g.getDouble("alpha"));
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> st) {
        double lr = g.lr(), alpha = g.getDouble("alpha"), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
        double momentum = g.getDouble("momentum");
        boolean centered = g.getBoolean("centered");
        if (!st.containsKey("square_avg")) {
            st.put("step", 0L);
            st.put("square_avg", Tensor.zerosLike(p));
            if (momentum > 0) st.put("momentum_buffer", Tensor.zerosLike(p));
            if (centered) st.put("grad_avg", Tensor.zerosLike(p));
        }
        Tensor d = direction(grad, g.getBoolean("maximize"));
        nextStep(st);
        if (wd != 0) d = d.add(p, wd);
        Tensor sq = (Tensor) st.get("square_avg");
        sq.mul_(alpha).addcmul_(d, d, 1 - alpha);
        Tensor avg;
        if (centered) {
            Tensor ga = (Tensor) st.get("grad_avg");
            ga.mul_(alpha).add_(d, 1 - alpha);
            avg = sq.sub(ga.mul(ga)).sqrt_();
        } else {
            avg = sq.sqrt();
        }
        avg.add_(eps);
        if (momentum > 0) {
            Tensor buf = (Tensor) st.get("momentum_buffer");
            buf.mul_(momentum).addcdiv_(d, avg, 1);
            p.add_(buf, -lr);
        } else {
            p.addcdiv_(d, avg, -lr);
        }
    }
}
