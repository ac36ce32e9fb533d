package org.sinter.optim;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.kernels.optim.AdadeltaKernel;
import org.sinter.kernels.optim.FusedUpdate;
import org.sinter.ops.OptimOps;

/**
 * Adadelta (PyTorch's {@code torch.optim.Adadelta}): steps scaled by the ratio of running RMS of
 * past updates to running RMS of gradients. Defaults lr 1.0, rho 0.9, eps 1e-6.
 * <pre>
 * v ← ρ·v + (1 − ρ)·g²;  Δ ← √(u + eps) / √(v + eps) · g;  u ← ρ·u + (1 − ρ)·Δ²;  θ ← θ − lr·Δ
 * </pre>
 */
public class Adadelta extends Optimizer {
    /** Options with PyTorch's defaults. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super(Map.of("lr", 1.0, "rho", 0.9, "eps", 1e-6, "weight_decay", 0.0, "maximize", false));
        }

        public Options rho(double v) { return put("rho", v); }
        public Options eps(double v) { return put("eps", v); }
    }

    public static Options options() {
        return new Options();
    }

    public Adadelta(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
    }

    public Adadelta(Iterable<Tensor> params, Options options) {
        this(List.of(ParamGroup.of(params)), options);
    }

    @Override
    protected void validate(ParamGroup g) {
        require(g.lr() >= 0, "Invalid learning rate: " + g.lr());
        double rho = g.getDouble("rho");
        require(rho >= 0 && rho <= 1, "Invalid rho value: " + rho);
        require(g.getDouble("eps") >= 0, "Invalid epsilon value: " + g.getDouble("eps"));
        require(g.getDouble("weight_decay") >= 0, "Invalid weight_decay value: " + g.getDouble("weight_decay"));
    }

    /** Whether dense float32 parameters use the fused {@link AdadeltaKernel} (the composite is the reference). */
    private boolean fused = true;

    /** Switches the fused kernel off (tests compare it with the composite). */
    void setFused(boolean fused) {
        this.fused = fused;
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> st) {
        double lr = g.lr(), rho = g.getDouble("rho"), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
        if (!st.containsKey("square_avg")) {
            st.put("step", 0L);
            st.put("square_avg", Tensor.zerosLike(p));
            st.put("acc_delta", Tensor.zerosLike(p));
        }
        nextStep(st);
        Tensor sq = (Tensor) st.get("square_avg"), acc = (Tensor) st.get("acc_delta");
        if (fused && FusedUpdate.supports(p, grad, sq, acc)) {
            OptimOps.adadeltaStep(p, grad, sq, acc, new AdadeltaKernel.Hyper(lr, rho, eps, wd, g.getBoolean("maximize")));
            return;
        }
        Tensor d = direction(grad, g.getBoolean("maximize"));
        if (wd != 0) d = d.add(p, wd);
        sq.mul_(rho).addcmul_(d, d, 1 - rho);
        Tensor std = sq.add(eps).sqrt_();
        Tensor delta = acc.add(eps).sqrt_().div_(std).mul_(d);
        acc.mul_(rho).addcmul_(delta, delta, 1 - rho);
        p.add_(delta, -lr);
    }
}
