package org.sinter.kernels.optim;

import org.sinter.Shape;
import org.sinter.Tensor;

/**
 * One fused pass of the Adam/AdamW update over dense float32 tensors: reads the gradient once and
 * updates parameter, first and second moments (and AMSGrad's maximum) element by element, with
 * no temporaries. The composite in {@link org.sinter.optim.Adam} (in-place tensor ops, several
 * passes and three temporaries) is the reference; tests compare the two.
 */
public final class AdamKernel {
    private AdamKernel() {}

    /** The scalar settings of one step. */
    public record Hyper(double lr, double beta1, double beta2, double eps, double l2, double decoupledDecay, boolean maximize, long step) {}

    /**
     * θ ← θ·decoupledDecay; g ← ±grad + l2·θ; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
     * v̂ ← max(v̂, v) when {@code vmax} is given; θ ← θ − lr/(1−β1ᵗ) · m / (√v̂ / √(1−β2ᵗ) + eps).
     */
    public static void step(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vmax, Hyper h) {
        float[] p = param.storage().floats(), g = grad.storage().floats(), ma = m.storage().floats(), va = v.storage().floats();
        float[] vx = vmax == null ? null : vmax.storage().floats();
        int po = param.storageOffset(), go = grad.storageOffset(), mo = m.storageOffset(), vo = v.storageOffset();
        int xo = vmax == null ? 0 : vmax.storageOffset();
        int n = Shape.numel(param);
        float b1 = (float) h.beta1(), b2 = (float) h.beta2(), c1 = (float) (1 - h.beta1()), c2 = (float) (1 - h.beta2());
        float eps = (float) h.eps(), l2 = (float) h.l2(), decay = (float) h.decoupledDecay();
        float sign = h.maximize() ? -1f : 1f;
        float stepSize = (float) (h.lr() / (1 - Math.pow(h.beta1(), h.step())));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(h.beta2(), h.step()));
        // Two loops rather than a branch per element, so the common (non-AMSGrad) loop stays simple for C2.
        if (vx == null) {
            for (int i = 0; i < n; i++) {
                float theta = p[po + i] * decay;
                float gi = l2 == 0f ? sign * g[go + i] : sign * g[go + i] + l2 * theta;
                float mi = b1 * ma[mo + i] + c1 * gi;
                float vi = b2 * va[vo + i] + c2 * gi * gi;
                ma[mo + i] = mi;
                va[vo + i] = vi;
                p[po + i] = theta - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float theta = p[po + i] * decay;
                float gi = l2 == 0f ? sign * g[go + i] : sign * g[go + i] + l2 * theta;
                float mi = b1 * ma[mo + i] + c1 * gi;
                float vi = b2 * va[vo + i] + c2 * gi * gi;
                ma[mo + i] = mi;
                va[vo + i] = vi;
                float second = Math.max(vx[xo + i], vi);
                vx[xo + i] = second;
                p[po + i] = theta - stepSize * mi / ((float) Math.sqrt(second) / bc2Sqrt + eps);
            }
        }
        param.storage().bumpVersion();
        m.storage().bumpVersion();
        v.storage().bumpVersion();
        if (vmax != null) vmax.storage().bumpVersion();
    }
}
