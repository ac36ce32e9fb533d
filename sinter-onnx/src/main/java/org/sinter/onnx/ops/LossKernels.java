package org.sinter.onnx.ops;

import org.sinter.DType;
import org.sinter.Tensor;

/** {@code NegativeLogLikelihoodLoss} and {@code SoftmaxCrossEntropyLoss} (opset 12+): class weights, ignore_index, reductions. */
final class LossKernels {
    private LossKernels() {}

    static void register(OpRegistry r) {
        r.add("NegativeLogLikelihoodLoss", n -> new Tensor[] {nll(n, n.in(0))}, "ignore_index", "reduction");
        r.add("SoftmaxCrossEntropyLoss", n -> {
            Tensor logProb = n.in(0).logSoftmax(1);
            return new Tensor[] {nll(n, logProb), logProb};
        }, "ignore_index", "reduction");
    }

    /** The loss of log-probabilities {@code input} [N, C, d...] at class indices {@code target} [N, d...]. */
    private static Tensor nll(NodeContext n, Tensor input) {
        Tensor target = n.in(1).to(DType.INT64);
        String reduction = n.attrString("reduction", "mean");
        Tensor safe = target;
        Tensor keep = null;
        if (n.hasAttr("ignore_index")) {
            keep = target.ne((double) n.attrInt("ignore_index", 0));
            safe = Tensor.where(keep, target, Tensor.scalar(0, DType.INT64));
        }
        Tensor picked = input.gather(1, safe.unsqueeze(1)).squeeze(1);
        Tensor w = n.has(2) ? n.in(2).indexSelect(0, safe.reshape(-1)).reshape(target.shape()) : null;
        if (keep != null) {
            Tensor k = keep.to(input.dtype());
            w = w == null ? k : w.mul(k);
        }
        Tensor loss = w == null ? picked.neg() : picked.neg().mul(w);
        return switch (reduction) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> w == null ? loss.mean() : loss.sum().div(w.sum());
            default -> throw n.error("unknown reduction '" + reduction + "'");
        };
    }
}
