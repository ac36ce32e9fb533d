package org.sinter.nn.functional;

import java.util.Arrays;
import org.sinter.Shape;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * The loss functions, written with primitive tensor ops so every gradient (and second gradient)
 * comes from the primitives. Formulas, weighting and reduction rules follow PyTorch 1.13's ATen
 * definitions, including its corner cases (the weighted mean of NLL divides by the summed weights
 * of the non-ignored targets, and so does the label-smoothing term).
 */
final class Losses {
    private Losses() {}

    static Tensor reduce(String op, Tensor loss, Reduction r) {
        return switch (r) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction 'batchmean' is only valid for kl_div");
        };
    }

    private static Tensor scalar(double v, Tensor like) {
        return Tensor.scalar(v, like.dtype());
    }

    static Tensor mseLoss(Tensor x, Tensor t, Reduction r) {
        Tensor d = x.sub(t);
        return reduce("mse_loss", d.mul(d), r);
    }

    static Tensor l1Loss(Tensor x, Tensor t, Reduction r) {
        return reduce("l1_loss", x.sub(t).abs(), r);
    }

    static Tensor smoothL1Loss(Tensor x, Tensor t, Reduction r, double beta) {
        if (beta < 0) throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        if (beta == 0) return l1Loss(x, t, r);
        Tensor z = x.sub(t).abs();
        Tensor loss = Tensor.where(z.lt(beta), z.mul(z).mul(0.5 / beta), z.sub(0.5 * beta));
        return reduce("smooth_l1_loss", loss, r);
    }

    static Tensor huberLoss(Tensor x, Tensor t, Reduction r, double delta) {
        if (!(delta > 0)) throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
        Tensor z = x.sub(t).abs();
        Tensor loss = Tensor.where(z.lt(delta), z.mul(z).mul(0.5), z.sub(0.5 * delta).mul(delta));
        return reduce("huber_loss", loss, r);
    }

    // ------------------------------------------------------------------ classification

    private static void checkClassTarget(String op, Tensor input, Tensor target) {
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected class indices of dtype int64 as target, got " + target.describe());
        }
        if (input.dim() < 1) throw new IllegalArgumentException(op + ": input tensor should be 1D or more, got a 0-d tensor");
        int[] is = input.shape(), ts = target.shape();
        boolean ok;
        if (input.dim() == 1) {
            ok = target.dim() == 0;
        } else {
            ok = target.dim() == input.dim() - 1 && ts[0] == is[0];
            for (int i = 2; ok && i < is.length; i++) ok = ts[i - 1] == is[i];
        }
        if (!ok) {
            if (input.dim() >= 2 && target.dim() >= 1 && ts[0] != is[0]) {
                throw new IllegalArgumentException(op + ": Expected input batch_size (" + is[0] + ") to match target batch_size (" + ts[0] + ").");
            }
            throw new IllegalArgumentException(op + ": expected target of shape " + expectedTarget(is) + " for input of shape "
                    + Arrays.toString(is) + ", got " + Arrays.toString(ts));
        }
    }

    private static String expectedTarget(int[] is) {
        if (is.length == 1) return "[]";
        int[] t = new int[is.length - 1];
        t[0] = is[0];
        System.arraycopy(is, 2, t, 1, is.length - 2);
        return Arrays.toString(t);
    }

    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r) {
        String op = "nll_loss";
        checkClassTarget(op, input, target);
        int classDim = input.dim() == 1 ? 0 : 1, c = input.size(classDim);
        if (weight != null && (weight.dim() != 1 || weight.numel() != c)) {
            throw new IllegalArgumentException(op + ": weight tensor should be defined either for all " + c
                    + " classes or no classes but got weight tensor of shape: " + Arrays.toString(weight.shape()));
        }
        Tensor t = target.to(DType.INT64);
        Tensor keep = t.ne((double) ignoreIndex);
        Tensor safe = t.maskedFill(keep.logicalNot(), 0);
        // Target values are checked here on the CPU (a meta tensor has none: tracing checks shapes only); a GPU's
        // gather flags them in its kernel (one flag read instead of copying the targets back), and an out-of-range
        // target then gets gather's error from the host.
        if (safe.device().type() == org.sinter.Device.Type.CPU) {
            for (long v : safe.toLongArray()) {
                if (v < 0 || v >= c) throw new IndexOutOfBoundsException(op + ": Target " + v + " is out of bounds.");
            }
        }
        Tensor picked = input.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim);
        Tensor w = keep.to(input.dtype());
        if (weight != null) w = w.mul(weight.indexSelect(0, safe.reshape(-1)).reshape(safe.shape()));
        Tensor loss = picked.mul(w).neg();
        return switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(w.sum());
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction 'batchmean' is only valid for kl_div");
        };
    }

    /** {@code weight} reshaped to broadcast along the class dimension of a rank-{@code rank} input. */
    private static Tensor classWeight(Tensor weight, int rank, int classDim) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[classDim] = Shape.numel(weight);
        return weight.reshape(s);
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r, double labelSmoothing) {
        String op = "cross_entropy";
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        if (r == Reduction.BATCHMEAN) throw new IllegalArgumentException(op + ": reduction 'batchmean' is only valid for kl_div");
        if (input.dim() < 1) throw new IllegalArgumentException(op + ": input tensor should be 1D or more, got a 0-d tensor");
        int classDim = input.dim() == 1 ? 0 : 1, c = input.size(classDim);
        Tensor logp = input.logSoftmax(classDim);
        if (target.isFloatingPoint()) {
            if (!Arrays.equals(target.shape(), input.shape())) {
                throw new IllegalArgumentException(op + ": expected class probabilities of the input's shape " + Arrays.toString(input.shape())
                        + ", got " + Arrays.toString(target.shape()));
            }
            Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
            Tensor prod = logp.mul(t);
            if (weight != null) prod = prod.mul(classWeight(weight, input.dim(), classDim));
            return switch (r) {
                case NONE -> prod.sum(classDim, false).neg();
                case SUM -> prod.sum().neg();
                default -> prod.sum().neg().div((double) input.numel() / c);
            };
        }
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, r);
        if (labelSmoothing == 0) return nll;
        Tensor smooth = weight != null ? logp.mul(classWeight(weight, input.dim(), classDim)).sum(classDim, false).neg()
                : logp.sum(classDim, false).neg();
        Tensor t = target.to(DType.INT64);
        Tensor ignored = t.eq((double) ignoreIndex);
        smooth = smooth.maskedFill(ignored, 0);
        Tensor reduced = switch (r) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            default -> {
                // Normalized like the NLL term: by the (weighted) count of non-ignored targets.
                Tensor w = ignored.logicalNot().to(input.dtype());
                if (weight != null) w = w.mul(weight.indexSelect(0, t.maskedFill(ignored, 0).reshape(-1)).reshape(t.shape()));
                yield smooth.sum().div(w.sum());
            }
        };
        return nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / c));
    }

    private static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": Using a target size (" + Arrays.toString(target.shape())
                    + ") that is different to the input size (" + Arrays.toString(input.shape()) + ") is deprecated. "
                    + "Please ensure they have the same size.");
        }
    }

    static Tensor binaryCrossEntropy(Tensor x, Tensor t, Tensor weight, Reduction r) {
        String op = "binary_cross_entropy";
        checkSameShape(op, x, t);
        if (!x.isMeta() && (x.lt(0.0).any().item() != 0 || x.gt(1.0).any().item() != 0)) {
            throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1");
        }
        // PyTorch clamps each log at -100 so that log(0) never makes an infinite loss.
        Tensor logX = x.log().clampMin(-100), log1mX = x.neg().log1p().clampMin(-100);
        Tensor loss = t.sub(1.0).mul(log1mX).sub(t.mul(logX));
        if (weight != null) loss = loss.mul(weight);
        return reduce(op, loss, r);
    }

    static Tensor binaryCrossEntropyWithLogits(Tensor x, Tensor t, Tensor weight, Tensor posWeight, Reduction r) {
        String op = "binary_cross_entropy_with_logits";
        checkSameShape(op, x, t);
        // (1 - t) x + (1 + (pw - 1) t) log(1 + e^-x), with softplus keeping large |x| finite.
        Tensor sp = x.neg().softplus();
        Tensor loss = posWeight != null ? t.rsub(1.0).mul(x).add(posWeight.sub(1.0).mul(t).add(1.0).mul(sp))
                : t.rsub(1.0).mul(x).add(sp);
        if (weight != null) loss = loss.mul(weight);
        return reduce(op, loss, r);
    }

    static Tensor klDiv(Tensor input, Tensor target, Reduction r, boolean logTarget) {
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            // xlogy(t, t) - t * input, with 0 * log 0 = 0.
            Tensor zero = target.eq(0.0);
            Tensor safe = Tensor.where(zero, scalar(1, target), target);
            loss = target.mul(safe.log()).sub(target.mul(input));
        }
        return switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
            case BATCHMEAN -> input.dim() == 0 ? loss.sum() : loss.sum().div((double) input.size(0));
        };
    }
}
