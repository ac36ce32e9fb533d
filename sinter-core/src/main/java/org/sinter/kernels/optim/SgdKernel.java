package org.sinter.kernels.optim;

import org.sinter.Shape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;

/**
 * One fused pass of SGD with momentum over dense float32 tensors (see {@link FusedUpdate}): the
 * composite in {@link org.sinter.optim.SGD} makes three passes (scale the buffer, add the
 * gradient, step the parameter). Rounds as the composite does: the buffer is scaled, then the
 * gradient added by a fused multiply-add, as are the parameter's step and Nesterov's look-ahead.
 */
public final class SgdKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SgdKernel() {}

    /** The scalar settings of one step; {@code first} makes the buffer a copy of the direction. */
    public record Hyper(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize, boolean first) {}

    /**
     * g ← ±grad + wd·θ;  b ← g (first step) or μ·b + (1 − dampening)·g;  g ← g + μ·b (Nesterov) or b;
     * θ ← θ − lr·g.
     */
    public static void step(Tensor param, Tensor grad, Tensor buf, Hyper h) {
        float[] p = param.storage().floats(), g = grad.storage().floats(), b = buf.storage().floats();
        int po = param.storageOffset(), go = grad.storageOffset(), bo = buf.storageOffset(), n = Shape.numel(param);
        Parallel.forStream(n, (s, e) -> range(p, po + s, g, go + s, b, bo + s, e - s, h));
        param.storage().bumpVersion();
        buf.storage().bumpVersion();
    }

    private static void range(float[] p, int po, float[] g, int go, float[] b, int bo, int n, Hyper h) {
        float sign = h.maximize() ? -1f : 1f, wd = (float) h.weightDecay(), mu = (float) h.momentum();
        float keep = (float) (1 - h.dampening()), negLr = (float) -h.lr();
        boolean first = h.first(), nesterov = h.nesterov(), decay = wd != 0f; // no 0·∞ = NaN without decay
        FloatVector vSign = FloatVector.broadcast(S, sign), vWd = FloatVector.broadcast(S, wd), vMu = FloatVector.broadcast(S, mu);
        FloatVector vKeep = FloatVector.broadcast(S, keep), vNegLr = FloatVector.broadcast(S, negLr);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector theta = FloatVector.fromArray(S, p, po + i);
            FloatVector d = FloatVector.fromArray(S, g, go + i).mul(vSign);
            if (decay) d = theta.fma(vWd, d);
            FloatVector bi = first ? d : d.fma(vKeep, FloatVector.fromArray(S, b, bo + i).mul(vMu));
            bi.intoArray(b, bo + i);
            FloatVector dir = nesterov ? bi.fma(vMu, d) : bi;
            dir.fma(vNegLr, theta).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float theta = p[po + i];
            float d = sign * g[go + i];
            if (decay) d = Math.fma(theta, wd, d);
            float bi = first ? d : Math.fma(d, keep, b[bo + i] * mu);
            b[bo + i] = bi;
            p[po + i] = Math.fma(nesterov ? Math.fma(bi, mu, d) : bi, negLr, theta);
        }
    }
}
