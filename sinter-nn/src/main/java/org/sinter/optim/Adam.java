package org.sinter.optim;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.kernels.optim.AdamKernel;
import org.sinter.kernels.optim.FusedUpdate;
import org.sinter.ops.OptimOps;

/**
 * Adam (PyTorch's {@code torch.optim.Adam}): bias-corrected first and second moment estimates,
 * with L2 weight decay added to the gradient, optional AMSGrad (the running maximum of the
 * second moment) and maximization. Defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8.
 * <pre>
 * m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
 * </pre>
 */
public class Adam extends Optimizer {
    /** Options with PyTorch's defaults. */
    public static final class Options extends OptimizerOptions<Options> {
        Options(double weightDecay) {
            super(Map.of("lr", 1e-3, "betas", List.of(0.9, 0.999), "eps", 1e-8, "weight_decay", weightDecay, "amsgrad", false,
                    "maximize", false));
        }

        public Options betas(double beta1, double beta2) { return put("betas", List.of(beta1, beta2)); }
        public Options eps(double v) { return put("eps", v); }
        public Options amsgrad(boolean v) { return put("amsgrad", v); }
    }

    public static Options options() {
        return new Options(0);
    }

    public Adam(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
    }

    public Adam(Iterable<Tensor> params, Options options) {
        this(List.of(ParamGroup.of(params)), options);
    }

    public Adam(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    Adam(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
    }

    @Override
    protected void validate(ParamGroup g) {
        List<Double> betas = g.getList("betas");
        require(g.lr() >= 0, "Invalid learning rate: " + g.lr());
        require(g.getDouble("eps") >= 0, "Invalid epsilon value: " + g.getDouble("eps"));
        require(betas.size() == 2 && betas.get(0) >= 0 && betas.get(0) < 1, "Invalid beta parameter at index 0: " + betas);
        require(betas.get(1) >= 0 && betas.get(1) < 1, "Invalid beta parameter at index 1: " + betas.get(1));
        require(g.getDouble("weight_decay") >= 0, "Invalid weight_decay value: " + g.getDouble("weight_decay"));
    }

    /** Adam adds weight decay to the gradient (L2); AdamW decays the weights instead (decoupled). */
    protected boolean decoupledWeightDecay() {
        return false;
    }

    /** Whether dense float32 parameters use the fused {@link AdamKernel} (the composite is the reference). */
    private boolean fused = true;

    /** Switches the fused kernel off (tests compare it with the composite). */
    void setFused(boolean fused) {
        this.fused = fused;
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> st) {
        List<Double> betas = g.getList("betas");
        double lr = g.lr(), beta1 = betas.get(0), beta2 = betas.get(1), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
        boolean amsgrad = g.getBoolean("amsgrad"), maximize = g.getBoolean("maximize"), decoupled = decoupledWeightDecay();
        if (!st.containsKey("exp_avg")) {
            st.put("step", 0L);
            st.put("exp_avg", Tensor.zerosLike(p));
            st.put("exp_avg_sq", Tensor.zerosLike(p));
            if (amsgrad) st.put("max_exp_avg_sq", Tensor.zerosLike(p));
        }
        long step = nextStep(st);
        Tensor m = (Tensor) st.get("exp_avg"), v = (Tensor) st.get("exp_avg_sq");
        Tensor vmax = amsgrad ? (Tensor) st.get("max_exp_avg_sq") : null;
        if (fused && FusedUpdate.supports(p, grad, m, v, vmax)) {
            OptimOps.adamStep(p, grad, m, v, vmax, new AdamKernel.Hyper(lr, beta1, beta2, eps, decoupled ? 0 : wd,
                    decoupled ? 1 - lr * wd : 1, maximize, step));
            return;
        }
        Tensor d = direction(grad, maximize);
        if (wd != 0) {
            if (decoupled) p.mul_(1 - lr * wd);
            else d = d.add(p, wd);
        }
        m.mul_(beta1).add_(d, 1 - beta1);
        v.mul_(beta2).addcmul_(d, d, 1 - beta2);
        double bc1 = 1 - Math.pow(beta1, step), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        Tensor second = v;
        if (vmax != null) {
            vmax.maximum_(v);
            second = vmax;
        }
        Tensor denom = second.sqrt().div_(bc2Sqrt).add_(eps);
        p.addcdiv_(m, denom, -lr / bc1);
    }
}
