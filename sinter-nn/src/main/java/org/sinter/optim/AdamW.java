package org.sinter.optim;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * Adam with decoupled weight decay (PyTorch's {@code torch.optim.AdamW}): before the Adam update
 * the weights shrink, {@code θ ← θ·(1 − lr·wd)}, instead of adding {@code wd·θ} to the gradient.
 * Defaults as Adam's except weight_decay 1e-2.
 */
public class AdamW extends Adam {
    public static Options options() {
        return new Options(1e-2);
    }

    public AdamW(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
    }

    public AdamW(Iterable<Tensor> params, Options options) {
        this(List.of(ParamGroup.of(params)), options);
    }

    public AdamW(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return true;
    }
}
