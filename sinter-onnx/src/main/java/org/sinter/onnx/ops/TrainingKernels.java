package org.sinter.onnx.ops;

import org.sinter.Tensor;

/**
 * The optimizer steps of ONNX's {@code ai.onnx.preview.training} domain: {@code Adagrad},
 * {@code Adam} and {@code Momentum} (standard and Nesterov), each updating n tensors at once from
 * inputs laid out as (R, T, X_1..X_n, G_1..G_n, state_1..state_n...), with the formulas of the
 * ONNX operator specification. Written with tensor operations, so they trace like any other
 * kernel; the iteration count T enters through {@code where}, not as a constant.
 */
final class TrainingKernels {
    private TrainingKernels() {}

    static void register(OpRegistry r) {
        String d = OpRegistry.TRAINING_DOMAIN + ".";
        r.add(d + "Adagrad", TrainingKernels::adagrad, "decay_factor", "epsilon", "norm_coefficient");
        r.add(d + "Adam", TrainingKernels::adam, "alpha", "beta", "epsilon", "norm_coefficient", "norm_coefficient_post");
        r.add(d + "Momentum", TrainingKernels::momentum, "alpha", "beta", "mode", "norm_coefficient");
    }

    /** How many tensors the node updates: (inputs - 2) / groups, checked. */
    private static int tensors(NodeContext n, int groups) {
        int count = n.inputCount() - 2;
        if (count <= 0 || count % groups != 0) {
            throw n.error("expects R, T and " + groups + " groups of equally many tensors, got " + n.inputCount() + " inputs");
        }
        return count / groups;
    }

    /** The scalar input {@code i} as float64 of shape [] (R and T may be given as [] or [1]). */
    private static Tensor scalarInput(NodeContext n, int i, String what) {
        Tensor t = n.in(i);
        if (t.numel() != 1) throw n.error(what + " must hold one value, got " + t.describe());
        return t.to(org.sinter.DType.FLOAT64).reshape();
    }

    private static Tensor[] adagrad(NodeContext n) {
        int k = tensors(n, 3);
        Tensor r = scalarInput(n, 0, "R (learning rate)"), t = scalarInput(n, 1, "T (update count)");
        double decay = n.attrFloat("decay_factor", 0f), eps = n.attrFloat("epsilon", 1e-6f), norm = n.attrFloat("norm_coefficient", 0f);
        Tensor rate = r.div(t.mul(decay).add(1.0));
        Tensor[] out = new Tensor[2 * k];
        for (int i = 0; i < k; i++) {
            Tensor x = n.in(2 + i), g = n.in(2 + k + i), h = n.in(2 + 2 * k + i);
            Tensor gReg = x.mul(norm).add(g);
            Tensor hNew = h.add(gReg.square());
            Tensor step = gReg.div(hNew.sqrt().add(eps)).mul(rate.to(x.dtype()));
            out[i] = x.sub(step);
            out[k + i] = hNew;
        }
        return out;
    }

    private static Tensor[] adam(NodeContext n) {
        int k = tensors(n, 4);
        Tensor r = scalarInput(n, 0, "R (learning rate)"), t = scalarInput(n, 1, "T (update count)");
        double alpha = n.attrFloat("alpha", 0.9f), beta = n.attrFloat("beta", 0.999f), eps = n.attrFloat("epsilon", 1e-6f);
        double norm = n.attrFloat("norm_coefficient", 0f), normPost = n.attrFloat("norm_coefficient_post", 0f);
        // The bias correction applies from the first step on (T > 0): R·sqrt(1 - beta^T) / (1 - alpha^T).
        Tensor betaT = Tensor.scalar(beta, org.sinter.DType.FLOAT64).pow(t), alphaT = Tensor.scalar(alpha, org.sinter.DType.FLOAT64).pow(t);
        Tensor corrected = r.mul(betaT.rsub(1.0).sqrt()).div(alphaT.rsub(1.0));
        Tensor rate = Tensor.where(t.gt(0.0), corrected, r);
        Tensor[] out = new Tensor[3 * k];
        for (int i = 0; i < k; i++) {
            Tensor x = n.in(2 + i), g = n.in(2 + k + i), v = n.in(2 + 2 * k + i), h = n.in(2 + 3 * k + i);
            Tensor gReg = x.mul(norm).add(g);
            Tensor vNew = v.mul(alpha).add(gReg.mul(1 - alpha));
            Tensor hNew = h.mul(beta).add(gReg.square().mul(1 - beta));
            Tensor xNew = x.sub(vNew.div(hNew.sqrt().add(eps)).mul(rate.to(x.dtype())));
            out[i] = xNew.mul(1 - normPost);
            out[k + i] = vNew;
            out[2 * k + i] = hNew;
        }
        return out;
    }

    private static Tensor[] momentum(NodeContext n) {
        int k = tensors(n, 3);
        for (String required : new String[] {"alpha", "beta", "mode", "norm_coefficient"}) {
            if (!n.hasAttr(required)) throw n.error("attribute '" + required + "' is required");
        }
        Tensor r = scalarInput(n, 0, "R (learning rate)"), t = scalarInput(n, 1, "T (update count)");
        double alpha = n.attrFloat("alpha", 0f), beta = n.attrFloat("beta", 0f), norm = n.attrFloat("norm_coefficient", 0f);
        String mode = n.attrString("mode", "");
        if (!mode.equals("standard") && !mode.equals("nesterov")) throw n.error("mode must be 'standard' or 'nesterov', got '" + mode + "'");
        // The first update (T = 0) takes the gradient whole: beta applies from the second on.
        Tensor betaAdjusted = Tensor.where(t.gt(0.0), Tensor.scalar(beta, org.sinter.DType.FLOAT64), Tensor.scalar(1.0, org.sinter.DType.FLOAT64));
        Tensor[] out = new Tensor[2 * k];
        for (int i = 0; i < k; i++) {
            Tensor x = n.in(2 + i), g = n.in(2 + k + i), v = n.in(2 + 2 * k + i);
            Tensor gReg = x.mul(norm).add(g);
            Tensor vNew = v.mul(alpha).add(gReg.mul(betaAdjusted.to(x.dtype())));
            Tensor direction = mode.equals("standard") ? vNew : gReg.add(vNew.mul(alpha));
            out[i] = x.sub(direction.mul(r.to(x.dtype())));
            out[k + i] = vNew;
        }
        return out;
    }
}
