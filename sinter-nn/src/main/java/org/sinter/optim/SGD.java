package org.sinter.optim;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.kernels.optim.FusedUpdate;
import org.sinter.ops.OptimOps;
import org.sinter.kernels.optim.SgdKernel;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight
 * decay and maximization (PyTorch's {@code torch.optim.SGD}):
 * <pre>
 * g ← ±∇ + wd·θ;  b ← g (first step) or μ·b + (1 − dampening)·g;  g ← g + μ·b (Nesterov) or b;  θ ← θ − lr·g
 * </pre>
 */
public class SGD extends Optimizer {
    /** Options; lr has no default in PyTorch, so it must be set. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super(Map.of("lr", Double.NaN, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", false, "maximize", false));
        }

        public Options momentum(double v) { return put("momentum", v); }
        public Options dampening(double v) { return put("dampening", v); }
        public Options nesterov(boolean v) { return put("nesterov", v); }
    }

    public static Options options() {
        return new Options();
    }

    public SGD(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
    }

    public SGD(Iterable<Tensor> params, Options options) {
        this(List.of(ParamGroup.of(params)), options);
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    @Override
    protected void validate(ParamGroup g) {
        require(!Double.isNaN(g.lr()), "SGD: a learning rate is required, e.g. SGD.options().lr(0.1)");
        require(g.lr() >= 0, "Invalid learning rate: " + g.lr());
        require(g.getDouble("momentum") >= 0, "Invalid momentum value: " + g.getDouble("momentum"));
        require(g.getDouble("weight_decay") >= 0, "Invalid weight_decay value: " + g.getDouble("weight_decay"));
        require(!g.getBoolean("nesterov") || (g.getDouble("momentum") > 0 && g.getDouble("dampening") == 0),
                "Nesterov momentum requires a momentum and zero dampening");
    }

    /** Whether dense float32 parameters use the fused {@link SgdKernel} (the composite is the reference). */
    private boolean fused = true;

    /** Switches the fused kernel off (tests compare it with the composite). */
    void setFused(boolean fused) {
        this.fused = fused;
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> st) {
        double lr = g.lr(), momentum = g.getDouble("momentum"), dampening = g.getDouble("dampening"), wd = g.getDouble("weight_decay");
        if (fused && momentum != 0 && FusedUpdate.supports(p, grad, (Tensor) st.get("momentum_buffer"))) {
            Tensor buf = (Tensor) st.get("momentum_buffer");
            boolean first = buf == null;
            if (first) st.put("momentum_buffer", buf = Tensor.zerosLike(p));
            OptimOps.sgdStep(p, grad, buf, new SgdKernel.Hyper(lr, momentum, dampening, wd, g.getBoolean("nesterov"), g.getBoolean("maximize"), first));
            return;
        }
        Tensor d = direction(grad, g.getBoolean("maximize"));
        if (wd != 0) d = d.add(p, wd);
        if (momentum != 0) {
            Tensor buf = (Tensor) st.get("momentum_buffer");
            if (buf == null) {
                buf = d.clone();
                st.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d, 1 - dampening);
            }
            d = g.getBoolean("nesterov") ? d.add(buf, momentum) : buf;
        }
        p.add_(d, -lr);
    }
}
