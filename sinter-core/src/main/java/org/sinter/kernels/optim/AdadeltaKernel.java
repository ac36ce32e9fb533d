package org.sinter.kernels.optim;

import org.sinter.Shape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;

/**
 * One fused pass of Adadelta over dense float32 tensors (see {@link FusedUpdate}): the composite in
 * {@link org.sinter.optim.Adadelta} makes nine passes and two temporaries the size of the parameter,
 * which for the Lab 1 CNN's 1.2M parameters is most of the optimizer's time.
 */
public final class AdadeltaKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private AdadeltaKernel() {}

    /** The scalar settings of one step. */
    public record Hyper(double lr, double rho, double eps, double weightDecay, boolean maximize) {}

    /**
     * g ← ±grad + wd·θ;  v ← ρ·v + (1 − ρ)·g²;  Δ ← √(u + eps) / √(v + eps) · g;  u ← ρ·u + (1 − ρ)·Δ²;
     * θ ← θ − lr·Δ.
     */
    public static void step(Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta, Hyper h) {
        float[] p = param.storage().floats(), g = grad.storage().floats();
        float[] v = squareAvg.storage().floats(), u = accDelta.storage().floats();
        int po = param.storageOffset(), go = grad.storageOffset(), vo = squareAvg.storageOffset(), uo = accDelta.storageOffset();
        int n = Shape.numel(param);
        Parallel.forStream(n, (s, e) -> range(p, po + s, g, go + s, v, vo + s, u, uo + s, e - s, h));
        param.storage().bumpVersion();
        squareAvg.storage().bumpVersion();
        accDelta.storage().bumpVersion();
    }

    private static void range(float[] p, int po, float[] g, int go, float[] v, int vo, float[] u, int uo, int n, Hyper h) {
        float sign = h.maximize() ? -1f : 1f, wd = (float) h.weightDecay(), r = (float) h.rho(), c = (float) (1 - h.rho());
        float e = (float) h.eps(), negLr = (float) -h.lr();
        boolean decay = wd != 0f; // no 0·∞ = NaN without decay
        FloatVector vSign = FloatVector.broadcast(S, sign), vWd = FloatVector.broadcast(S, wd), vR = FloatVector.broadcast(S, r);
        FloatVector vC = FloatVector.broadcast(S, c), vE = FloatVector.broadcast(S, e), vNegLr = FloatVector.broadcast(S, negLr);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector theta = FloatVector.fromArray(S, p, po + i);
            FloatVector d = FloatVector.fromArray(S, g, go + i).mul(vSign);
            if (decay) d = theta.fma(vWd, d);
            FloatVector vi = d.mul(d).fma(vC, FloatVector.fromArray(S, v, vo + i).mul(vR));
            FloatVector ui = FloatVector.fromArray(S, u, uo + i);
            FloatVector delta = ui.add(vE).sqrt().div(vi.add(vE).sqrt()).mul(d);
            vi.intoArray(v, vo + i);
            delta.mul(delta).fma(vC, ui.mul(vR)).intoArray(u, uo + i);
            delta.fma(vNegLr, theta).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float theta = p[po + i];
            float d = sign * g[go + i];
            if (decay) d = Math.fma(theta, wd, d);
            float vi = Math.fma(d * d, c, v[vo + i] * r);
            float delta = (float) Math.sqrt(u[uo + i] + e) / (float) Math.sqrt(vi + e) * d;
            v[vo + i] = vi;
            u[uo + i] = Math.fma(delta * delta, c, u[uo + i] * r);
            p[po + i] = Math.fma(delta, negLr, theta);
        }
    }
}
