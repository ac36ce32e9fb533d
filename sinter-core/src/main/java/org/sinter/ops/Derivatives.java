package org.sinter.ops;

import java.util.List;
import org.sinter.DType;
import org.sinter.GradMode;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.UnaryKernels.UnaryFn;

/**
 * The derivatives table: the backward of every primitive, in one exhaustive switch over the
 * sealed op set (a new op does not compile until its gradient is here, or it says it has none).
 * Formulas are written with tensor ops, so every gradient differentiates again (double backward),
 * and a compiler can trace them like any other program. Gradients may come out at the broadcast
 * shape or in the computation dtype: autograd reduces them to each input's shape and dtype.
 */
public final class Derivatives {
    private Derivatives() {}

    /** Gradients of the inputs of one call of {@code op}; null where an input gets none. */
    public static Tensor[] backward(Op op, SavedContext ctx, Tensor... grads) {
        Tensor g = grads[0];
        return switch (op) {
            case UnaryOps.Unary u -> new Tensor[] {unary(u, ctx, g)};
            case UnaryOps.Cast c -> new Tensor[] {ctx.inputDtype(0).isFloatingPoint() ? g : null};
            case UnaryOps.ReluBackward r -> new Tensor[] {UnaryOps.reluBackward(g, ctx.input(1)), null};
            case BinaryOps.Binary bin -> binary(bin, ctx, g);
            case BinaryOps.Axpy a -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.mul(a.alpha()) : null};
            case CompareOps.Compare c -> none(op);
            case CompareOps.Logical l -> none(op);
            case CompareOps.IsFinite f -> none(op);
            case ReduceOps.ArgReduce a -> none(op);
            case IndexOps.Where w -> {
                Tensor c = ctx.input(0);
                Tensor zero = Tensor.scalar(0, g.dtype());
                yield new Tensor[] {null,
                        ctx.needsInputGrad(1) ? IndexOps.where(c, g, zero) : null,
                        ctx.needsInputGrad(2) ? IndexOps.where(c, zero, g) : null};
            }
            case IndexOps.Gather ga -> new Tensor[] {
                    IndexOps.scatterAdd(zerosWhere(g, ctx.inputShape(0)), ga.dim(), ctx.input(1), g), null};
            case IndexOps.Scatter s -> {
                Tensor index = ctx.input(1);
                Tensor gSelf = s.add() ? g : IndexOps.scatter(g, s.dim(), index, Tensor.scalar(0, g.dtype()));
                Tensor gSrc = ctx.needsInputGrad(2) ? IndexOps.gather(g, s.dim(), index) : null;
                yield new Tensor[] {gSelf, null, gSrc};
            }
            case IndexOps.IndexSelect s -> new Tensor[] {
                    IndexOps.indexAdd(zerosWhere(g, ctx.inputShape(0)), s.dim(), ctx.input(1), g), null};
            case IndexOps.IndexAdd a -> new Tensor[] {g, null, ctx.needsInputGrad(2) ? g.indexSelect(a.dim(), ctx.input(1)) : null};
            case ReduceOps.Reduce r -> new Tensor[] {reduce(r, ctx, g)};
            case ReduceOps.Norm n -> {
                boolean[] mask = ReduceOps.maskOf(n.dims(), ctx.inputShape(0).length);
                int[] kept = ReduceOps.keptShape(ctx.inputShape(0), mask);
                Tensor x = ctx.input(0);
                Tensor out = ctx.output(0).reshape(kept), gk = g.reshape(kept);
                Tensor safe = Tensor.where(out.eq(0.0), Tensor.scalar(1, out.dtype()), out);
                double p = n.p();
                Tensor scale = p == 2 ? x.div(safe) : x.mul(x.abs().pow(p - 2)).div(safe.pow(p - 1));
                yield new Tensor[] {Tensor.where(out.eq(0.0), Tensor.scalar(0, gk.dtype()), gk.mul(scale))};
            }
            case ReduceOps.Cumsum c -> new Tensor[] {g.dim() == 0 ? g : g.flip(c.dim()).cumsum(c.dim()).flip(c.dim())};
            case SoftmaxOps.Softmax s -> {
                Tensor y = ctx.output(0);
                yield new Tensor[] {s.log() ? g.sub(y.exp().mul(g.sum(s.dim(), true))) : y.mul(g.sub(g.mul(y).sum(s.dim(), true)))};
            }
            case LinalgOps.Bmm m -> bmm(ctx, g);
            case ViewOp v -> new Tensor[] {view(v, ctx, g)};
            case ViewOps.ViewScatter v -> new Tensor[] {org.sinter.Dispatch.apply1(v.view(), g)};
            case ShapeOps.Clone c -> new Tensor[] {g};
            case ShapeOps.CopyFrom c -> new Tensor[] {Tensor.zerosLike(g), g};
            case ShapeOps.Fill f -> new Tensor[] {Tensor.zerosLike(g)};
            case ShapeOps.Cat c -> {
                Tensor[] r = new Tensor[ctx.numInputs()];
                int off = 0;
                for (int i = 0; i < r.length; i++) {
                    int size = ctx.inputShape(i)[c.dim()];
                    r[i] = g.narrow(c.dim(), off, size);
                    off += size;
                }
                yield r;
            }
            case ShapeOps.ConstantPad p -> {
                int[] in = ctx.inputShape(0);
                int n = in.length;
                Tensor r = g;
                for (int k = 0; k < p.pad().size() / 2; k++) r = r.narrow(n - 1 - k, p.pad().get(2 * k), in[n - 1 - k]);
                yield new Tensor[] {r};
            }
            case ShapeOps.Flip f -> new Tensor[] {g.flip(f.dims().toArray())};
            case ShapeOps.Tri t -> new Tensor[] {t.lower() ? g.tril(t.diagonal()) : g.triu(t.diagonal())};
            case NnOps.Conv2d c -> {
                Tensor gx = ctx.needsInputGrad(0) ? NnOps.convTranspose2d(c.g(), g, ctx.input(1), null) : null;
                Tensor gw = ctx.needsInputGrad(1) ? NnOps.conv2dWeight(c.g(), ctx.input(0), g) : null;
                yield withBias(ctx, gx, gw, g);
            }
            case NnOps.ConvTranspose2d c -> {
                Tensor gy = ctx.needsInputGrad(0) ? NnOps.conv2d(c.g(), g, ctx.input(1), null) : null;
                Tensor gw = ctx.needsInputGrad(1) ? NnOps.conv2dWeight(c.g(), g, ctx.input(0)) : null;
                yield withBias(ctx, gy, gw, g);
            }
            case NnOps.Conv2dWeight c -> new Tensor[] {
                    ctx.needsInputGrad(0) ? NnOps.convTranspose2d(c.g(), ctx.input(1), g, null) : null,
                    ctx.needsInputGrad(1) ? NnOps.conv2d(c.g(), ctx.input(0), g, null) : null};
            case NnOps.MaxPool2d m -> new Tensor[] {
                    org.sinter.Dispatch.apply1(new NnOps.MaxPoolBackward(Ints.of(ctx.inputShape(0))), g, ctx.output(1))};
            case NnOps.MaxPoolBackward m -> {
                // Linear in gy: the adjoint of a scatter is a gather at the same indices.
                Tensor idx = ctx.input(1);
                int nd = idx.dim();
                yield new Tensor[] {g.flatten(nd - 2, nd - 1).gather(nd - 2, idx.flatten(nd - 2, nd - 1)).view(idx.shape()), null};
            }
            case NnOps.AvgPool2d a -> new Tensor[] {
                    org.sinter.Dispatch.apply1(new NnOps.AvgPoolBackward(a.name(), a.wd(), Ints.of(ctx.inputShape(0))), g)};
            case NnOps.AvgPoolBackward a -> new Tensor[] {NnOps.avgPool2d(a.pool(), a.wd(), g)};
            case NnOps.Embedding e -> new Tensor[] {
                    org.sinter.Dispatch.apply1(new NnOps.EmbeddingBackward(e.pad(), ctx.inputShape(0)[0]), g, ctx.input(1)), null};
            case NnOps.EmbeddingBackward e -> new Tensor[] {
                    org.sinter.Dispatch.apply1(new NnOps.Embedding(e.pad(), true), g, ctx.input(1)), null};
            case Custom c -> c.impl().backward(ctx, grads);
            case HigherOrderOp h -> h.backward(ctx, grads);
            case UpdateOp u -> none(op);
        };
    }

    private static Tensor[] none(Op op) {
        throw new UnsupportedOperationException("the derivative for '" + op.name() + "' is not implemented: it has no gradient");
    }

    private static Tensor[] withBias(SavedContext ctx, Tensor a, Tensor b, Tensor g) {
        if (ctx.numInputs() <= 2) return new Tensor[] {a, b};
        return new Tensor[] {a, b, ctx.needsInputGrad(2) ? g.sum(new int[] {0, 2, 3}, false) : null};
    }

    private static Tensor unary(UnaryOps.Unary op, SavedContext ctx, Tensor g) {
        double p0 = op.p0(), p1 = op.p1();
        return switch (op.fn()) {
            case NEG -> g.neg();
            case ABS -> g.mul(ctx.input(0).sign());
            case EXP -> g.mul(ctx.output(0));
            case EXPM1 -> g.mul(ctx.output(0).add(1.0));
            case EXP2 -> g.mul(ctx.output(0)).mul(Math.log(2));
            case LOG -> g.div(ctx.input(0));
            case LOG1P -> g.div(ctx.input(0).add(1.0));
            case LOG2 -> g.div(ctx.input(0).mul(Math.log(2)));
            case LOG10 -> g.div(ctx.input(0).mul(Math.log(10)));
            case SQRT -> g.div(ctx.output(0).mul(2.0));
            case RSQRT -> g.mul(ctx.output(0).pow(3)).mul(-0.5);
            case RECIPROCAL -> g.mul(ctx.output(0).mul(ctx.output(0))).neg();
            case SQUARE -> g.mul(ctx.input(0).mul(2.0));
            case SIN -> g.mul(ctx.input(0).cos());
            case COS -> g.mul(ctx.input(0).sin()).neg();
            case TAN -> g.mul(ctx.output(0).mul(ctx.output(0)).add(1.0));
            case TANH -> g.mul(ctx.output(0).mul(ctx.output(0)).rsub(1.0));
            case SIGMOID -> g.mul(ctx.output(0).mul(ctx.output(0).rsub(1.0)));
            case RELU -> UnaryOps.reluBackward(g, ctx.output(0));
            case LEAKY_RELU -> g.mul(Tensor.where(ctx.input(0).gt(0.0), Tensor.scalar(1, g.dtype()), Tensor.scalar(p0, g.dtype())));
            case GELU -> {
                Tensor x = ctx.input(0);
                Tensor cdf = x.mul(1 / Math.sqrt(2)).erf().add(1.0).mul(0.5);
                Tensor pdf = x.mul(x).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
                yield g.mul(cdf.add(x.mul(pdf)));
            }
            case GELU_TANH -> {
                Tensor x = ctx.input(0);
                double k = Math.sqrt(2 / Math.PI);
                Tensor x2 = x.mul(x);
                Tensor t = x.add(x2.mul(x).mul(0.044715)).mul(k).tanh();
                Tensor left = t.add(1.0).mul(0.5);
                Tensor right = x.mul(0.5).mul(t.mul(t).rsub(1.0)).mul(x2.mul(3 * 0.044715).add(1.0).mul(k));
                yield g.mul(left.add(right));
            }
            case SILU -> {
                Tensor x = ctx.input(0);
                Tensor s = x.sigmoid();
                yield g.mul(s.mul(x.mul(s.rsub(1.0)).add(1.0)));
            }
            case SOFTPLUS -> {
                Tensor bx = ctx.input(0).mul(p0);
                yield Tensor.where(bx.gt(p1), g, g.mul(bx.sigmoid()));
            }
            case CLAMP -> {
                Tensor x = ctx.input(0);
                yield g.mul(x.ge(p0).logicalAnd(x.le(p1)).to(g.dtype()));
            }
            case POW_SCALAR -> p0 == 0 ? Tensor.zerosLike(g) : g.mul(ctx.input(0).pow(p0 - 1).mul(p0));
            case RPOW_SCALAR -> g.mul(ctx.output(0)).mul(Math.log(p0));
            case ERF -> {
                Tensor x = ctx.input(0);
                yield g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)));
            }
            case ATAN -> g.div(ctx.input(0).mul(ctx.input(0)).add(1.0));
            case ASIN -> g.mul(ctx.input(0).mul(ctx.input(0)).rsub(1.0).rsqrt());
            case ACOS -> g.mul(ctx.input(0).mul(ctx.input(0)).rsub(1.0).rsqrt()).neg();
            case SINH -> g.mul(UnaryOps.unary(UnaryFn.COSH, ctx.input(0)));
            case COSH -> g.mul(UnaryOps.unary(UnaryFn.SINH, ctx.input(0)));
            case ASINH -> g.mul(ctx.input(0).mul(ctx.input(0)).add(1.0).rsqrt());
            case ACOSH -> g.mul(ctx.input(0).mul(ctx.input(0)).sub(1.0).rsqrt());
            case ATANH -> g.div(ctx.input(0).mul(ctx.input(0)).rsub(1.0));
            case AFFINE -> g.mul(p0);
            case SINC -> {
                // (cos(pi x) pi x - sin(pi x)) / (pi x^2), 0 at x = 0
                Tensor x = ctx.input(0), t = x.mul(Math.PI);
                Tensor d = t.cos().mul(t).sub(t.sin()).div(t.mul(x));
                yield g.mul(Tensor.where(x.eq(0.0), Tensor.scalar(0, d.dtype()), d));
            }
            case SIGN, FLOOR, CEIL, ROUND, TRUNC -> Tensor.zerosLike(g);
            default -> throw new UnsupportedOperationException("the derivative for '" + op.name() + "' is not implemented");
        };
    }

    private static Tensor[] binary(BinaryOps.Binary op, SavedContext ctx, Tensor g) {
        return switch (op.fn()) {
            case ADD -> new Tensor[] {g, g};
            case SUB -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg() : null};
            case MUL -> new Tensor[] {
                    ctx.needsInputGrad(0) ? g.mul(ctx.input(1)) : null,
                    ctx.needsInputGrad(1) ? g.mul(ctx.input(0)) : null};
            case DIV -> {
                Tensor b = ctx.input(1);
                yield new Tensor[] {
                        ctx.needsInputGrad(0) ? g.div(b) : null,
                        ctx.needsInputGrad(1) ? g.neg().mul(ctx.input(0)).div(b.mul(b)) : null};
            }
            case POW -> {
                Tensor a = ctx.input(0), b = ctx.input(1);
                Tensor ga = ctx.needsInputGrad(0)
                        ? Tensor.where(b.eq(0.0), Tensor.scalar(0, g.dtype()), g.mul(b).mul(a.pow(b.sub(1.0)))) : null;
                Tensor gb = null;
                if (ctx.needsInputGrad(1)) {
                    // d/db a^b = a^b log a; defined as 0 where a == 0 and b >= 0, as in PyTorch.
                    Tensor mask = a.eq(0.0).logicalAnd(b.ge(0.0));
                    gb = Tensor.where(mask, Tensor.scalar(0, g.dtype()), g.mul(ctx.output(0)).mul(a.log()));
                }
                yield new Tensor[] {ga, gb};
            }
            case MAXIMUM, MINIMUM -> {
                Tensor a = ctx.input(0), b = ctx.input(1);
                Tensor zero = Tensor.scalar(0, g.dtype());
                Tensor half = g.mul(0.5);
                Tensor aWins = op.fn() == BinaryFn.MAXIMUM ? a.gt(b) : a.lt(b);
                Tensor bWins = op.fn() == BinaryFn.MAXIMUM ? a.lt(b) : a.gt(b);
                Tensor tie = a.eq(b);
                yield new Tensor[] {
                        Tensor.where(aWins, g, Tensor.where(tie, half, zero)),
                        Tensor.where(bWins, g, Tensor.where(tie, half, zero))};
            }
            case ATAN2 -> {
                Tensor a = ctx.input(0), b = ctx.input(1);
                Tensor denom = a.mul(a).add(b.mul(b));
                yield new Tensor[] {g.mul(b).div(denom), g.mul(a).neg().div(denom)};
            }
            case REMAINDER -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg().mul(ctx.input(0).floorDivide(ctx.input(1))) : null};
            case FMOD -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg().mul(ctx.input(0).div(ctx.input(1)).trunc()) : null};
            default -> throw new UnsupportedOperationException("the derivative for '" + op.name() + "' is not implemented");
        };
    }

    private static Tensor reduce(ReduceOps.Reduce r, SavedContext ctx, Tensor grad) {
        int[] inShape = ctx.inputShape(0);
        boolean[] mask = ReduceOps.maskOf(r.dims(), inShape.length);
        int[] kept = ReduceOps.keptShape(inShape, mask);
        Tensor g = grad.reshape(kept);
        return switch (r.kind()) {
            case SUM -> {
                if (!r.mean()) yield g.expand(inShape);
                long count = 1;
                for (int i = 0; i < inShape.length; i++) if (mask[i]) count *= inShape[i];
                yield g.div((double) count).expand(inShape);
            }
            case MAX, MIN -> {
                Tensor x = ctx.input(0);
                Tensor out = ctx.output(0).reshape(kept);
                Tensor hit = x.eq(out).to(g.dtype());
                yield g.mul(hit).div(hit.sum(r.dims().toArray(), true));
            }
            case PROD -> prodBackward(ctx.input(0), ctx.output(0).reshape(kept), g, r.dims().toArray());
        };
    }

    /** d prod / d x_i = product of the others: out / x where x != 0, else computed by exclusion. */
    private static Tensor prodBackward(Tensor x, Tensor out, Tensor g, int[] dims) {
        boolean anyZero;
        try (var _ = GradMode.set(false)) {
            anyZero = x.eq(0.0).any().item() != 0;
        }
        if (!anyZero) return g.mul(out).div(x);
        if (dims.length == 1 || x.dim() <= 1) {
            Tensor flat = dims.length == x.dim() && x.dim() != 1 ? x.reshape(-1) : x;
            int d = flat == x ? dims[0] : 0;
            int r = flat.shape()[d];
            List<Tensor> parts = new java.util.ArrayList<>();
            for (int i = 0; i < r; i++) {
                Tensor others = Tensor.cat(List.of(flat.narrow(d, 0, i), flat.narrow(d, i + 1, r - i - 1)), d);
                parts.add(others.prod(d, true));
            }
            return g.mul(Tensor.cat(parts, d).reshape(x.shape()));
        }
        throw new UnsupportedOperationException("prod: the gradient over several dims of an input containing zeros is not implemented");
    }

    private static Tensor[] bmm(SavedContext ctx, Tensor gy) {
        Tensor a = ctx.input(0), b = ctx.input(1);
        // Each gradient comes out in its input's layout (as PyTorch's mm backward does): the
        // gradient of a transposed weight view, x @ w.t(), is then w's own row-major layout,
        // and accumulating it into w.grad needs no transposing copy.
        Tensor ga = null, gb = null;
        if (ctx.needsInputGrad(0)) {
            ga = columnMajor(a) ? b.matmul(gy.transpose(1, 2)).transpose(1, 2) : gy.matmul(b.transpose(1, 2));
        }
        if (ctx.needsInputGrad(1)) {
            gb = columnMajor(b) ? gy.transpose(1, 2).matmul(a).transpose(1, 2) : a.transpose(1, 2).matmul(gy);
        }
        return new Tensor[] {ga, gb};
    }

    /** A [B, r, c] operand stored column by column (a transposed view) rather than row by row. */
    private static boolean columnMajor(Tensor x) {
        int[] sh = x.shape(), st = x.stride();
        return sh[1] > 1 && sh[2] > 1 && st[1] == 1 && st[2] != 1;
    }

    /** Views map the gradient straight back where they can, else scatter it through the geometry. */
    private static Tensor view(ViewOp v, SavedContext ctx, Tensor g) {
        int[] in = ctx.inputShape(0);
        return switch (v) {
            case ViewOps.Reshape r -> g.reshape(in);
            case ViewOps.Squeeze s -> g.reshape(in);
            case ViewOps.Unsqueeze u -> g.reshape(in);
            case ViewOps.Expand e -> g;
            case ViewOps.Alias a -> g;
            case ViewOps.Permute p -> {
                int[] inv = new int[in.length];
                for (int i = 0; i < in.length; i++) inv[p.dims().get(i)] = i;
                yield g.permute(inv);
            }
            case ViewOps.Transpose t -> g.transpose(t.dim0(), t.dim1());
            case ViewOps.Slice s -> scatter(v, in, g);
            case ViewOps.Select s -> scatter(v, in, g);
            case ViewOps.Unfold u -> scatter(v, in, g);
            case ViewOps.Diagonal d -> scatter(v, in, g);
            case ViewOps.AsStrided a -> scatter(v, in, g);
        };
    }

    private static Tensor scatter(ViewOp v, int[] inputShape, Tensor g) {
        return org.sinter.Dispatch.apply1(new ViewOps.ViewScatter(v, Ints.of(inputShape)), g);
    }

    /**
     * Zeros of {@code g}'s dtype for a scatter into, on g's device when that is a GPU; on the CPU
     * otherwise, where a tracer (meta tensors) captures them as a constant.
     */
    private static Tensor zerosWhere(Tensor g, int[] shape) {
        return g.device().type() == org.sinter.Device.Type.CUDA ? Tensor.zeros(g.dtype(), g.device(), shape) : Tensor.zeros(g.dtype(), shape);
    }
}
