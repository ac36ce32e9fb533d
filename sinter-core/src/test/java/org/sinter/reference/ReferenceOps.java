package org.sinter.reference;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.Tensor;
import org.sinter.testing.OpCall;

/**
 * The fixtures' op keys and the Sinter call each one stands for: the one place where a fixture
 * meets the engine. A key is Sinter's method name, with a ".Variant" suffix where one method has
 * several overloads. Inputs arrive in the order the fixture lists them (self first). Tolerances
 * per op key are in {@link org.sinter.testing.Tolerances}.
 */
final class ReferenceOps {
    private ReferenceOps() {}

    static final Map<String, OpCall> OPS = table();

    /**
     * Ops with no gradient (integer or bool outputs) or a zero one (sign, rounding): the fixtures
     * check that zero gradient; finite differences have nothing to add.
     */
    static final Set<String> NOT_DIFFERENTIABLE = Set.of(
            "sign", "floor", "ceil", "trunc", "round", "eq", "ne", "lt", "le", "gt", "ge", "eq.Scalar", "ne.Scalar", "lt.Scalar",
            "le.Scalar", "gt.Scalar", "ge.Scalar", "logicalAnd", "logicalOr", "logicalXor", "logicalNot",
            "argmax", "argmax.dim", "argmin", "argmin.dim", "isnan", "isinf", "isfinite", "any", "all",
            "floorDivide");

    private static Tensor[] one(Tensor t) { return new Tensor[] {t}; }

    private static Tensor[] many(List<Tensor> ts) { return ts.toArray(new Tensor[0]); }

    private static Map<String, OpCall> table() {
        Map<String, OpCall> m = new LinkedHashMap<>();
        // ---- unary math and activations
        m.put("neg", (t, a) -> one(t[0].neg()));
        m.put("abs", (t, a) -> one(t[0].abs()));
        m.put("sign", (t, a) -> one(t[0].sign()));
        m.put("exp", (t, a) -> one(t[0].exp()));
        m.put("log", (t, a) -> one(t[0].log()));
        m.put("log1p", (t, a) -> one(t[0].log1p()));
        m.put("sqrt", (t, a) -> one(t[0].sqrt()));
        m.put("rsqrt", (t, a) -> one(t[0].rsqrt()));
        m.put("sin", (t, a) -> one(t[0].sin()));
        m.put("cos", (t, a) -> one(t[0].cos()));
        m.put("tanh", (t, a) -> one(t[0].tanh()));
        m.put("sigmoid", (t, a) -> one(t[0].sigmoid()));
        m.put("relu", (t, a) -> one(t[0].relu()));
        m.put("silu", (t, a) -> one(t[0].silu()));
        m.put("gelu", (t, a) -> one(t[0].gelu()));
        m.put("gelu.tanh", (t, a) -> one(t[0].gelu("tanh")));
        m.put("leakyRelu", (t, a) -> one(t[0].leakyRelu(a.d("negativeSlope"))));
        m.put("softplus", (t, a) -> one(t[0].softplus(a.d("beta"), a.d("threshold"))));
        m.put("clamp", (t, a) -> one(t[0].clamp(a.d("min"), a.d("max"))));
        // ---- binary arithmetic (broadcasting, type promotion) and the double-scalar overloads
        m.put("add", (t, a) -> one(t[0].add(t[1])));
        m.put("sub", (t, a) -> one(t[0].sub(t[1])));
        m.put("mul", (t, a) -> one(t[0].mul(t[1])));
        m.put("div", (t, a) -> one(t[0].div(t[1])));
        m.put("pow", (t, a) -> one(t[0].pow(t[1])));
        m.put("maximum", (t, a) -> one(t[0].maximum(t[1])));
        m.put("minimum", (t, a) -> one(t[0].minimum(t[1])));
        m.put("add.Scalar", (t, a) -> one(t[0].add(a.d("other"))));
        m.put("sub.Scalar", (t, a) -> one(t[0].sub(a.d("other"))));
        m.put("mul.Scalar", (t, a) -> one(t[0].mul(a.d("other"))));
        m.put("div.Scalar", (t, a) -> one(t[0].div(a.d("other"))));
        m.put("pow.Scalar", (t, a) -> one(t[0].pow(a.d("other"))));
        // ---- comparisons and logic
        m.put("eq", (t, a) -> one(t[0].eq(t[1])));
        m.put("ne", (t, a) -> one(t[0].ne(t[1])));
        m.put("lt", (t, a) -> one(t[0].lt(t[1])));
        m.put("le", (t, a) -> one(t[0].le(t[1])));
        m.put("gt", (t, a) -> one(t[0].gt(t[1])));
        m.put("ge", (t, a) -> one(t[0].ge(t[1])));
        m.put("eq.Scalar", (t, a) -> one(t[0].eq(a.d("other"))));
        m.put("ne.Scalar", (t, a) -> one(t[0].ne(a.d("other"))));
        m.put("lt.Scalar", (t, a) -> one(t[0].lt(a.d("other"))));
        m.put("le.Scalar", (t, a) -> one(t[0].le(a.d("other"))));
        m.put("gt.Scalar", (t, a) -> one(t[0].gt(a.d("other"))));
        m.put("ge.Scalar", (t, a) -> one(t[0].ge(a.d("other"))));
        m.put("logicalAnd", (t, a) -> one(t[0].logicalAnd(t[1])));
        m.put("logicalOr", (t, a) -> one(t[0].logicalOr(t[1])));
        m.put("logicalXor", (t, a) -> one(t[0].logicalXor(t[1])));
        m.put("logicalNot", (t, a) -> one(t[0].logicalNot()));
        m.put("where", (t, a) -> one(Tensor.where(t[0], t[1], t[2])));
        m.put("maskedFill", (t, a) -> one(t[0].maskedFill(t[1], a.d("value"))));
        m.put("to", (t, a) -> one(t[0].to(a.dtype("dtype"))));
        // ---- reductions
        m.put("sum", (t, a) -> one(t[0].sum()));
        m.put("sum.dim", (t, a) -> one(t[0].sum(a.i("dim"), a.b("keepDim"))));
        m.put("sum.dims", (t, a) -> one(t[0].sum(a.ints("dims"), a.b("keepDim"))));
        m.put("mean", (t, a) -> one(t[0].mean()));
        m.put("mean.dim", (t, a) -> one(t[0].mean(a.i("dim"), a.b("keepDim"))));
        m.put("mean.dims", (t, a) -> one(t[0].mean(a.ints("dims"), a.b("keepDim"))));
        m.put("prod", (t, a) -> one(t[0].prod()));
        m.put("prod.dim", (t, a) -> one(t[0].prod(a.i("dim"), a.b("keepDim"))));
        m.put("max", (t, a) -> one(t[0].max()));
        m.put("min", (t, a) -> one(t[0].min()));
        m.put("max.dim", (t, a) -> {
            var r = t[0].max(a.i("dim"), a.b("keepDim"));
            return new Tensor[] {r.values(), r.indices()};
        });
        m.put("min.dim", (t, a) -> {
            var r = t[0].min(a.i("dim"), a.b("keepDim"));
            return new Tensor[] {r.values(), r.indices()};
        });
        m.put("amax", (t, a) -> one(t[0].amax(a.ints("dims"), a.b("keepDim"))));
        m.put("amin", (t, a) -> one(t[0].amin(a.ints("dims"), a.b("keepDim"))));
        m.put("argmax", (t, a) -> one(t[0].argmax()));
        m.put("argmin", (t, a) -> one(t[0].argmin()));
        m.put("argmax.dim", (t, a) -> one(t[0].argmax(a.i("dim"), a.b("keepDim"))));
        m.put("argmin.dim", (t, a) -> one(t[0].argmin(a.i("dim"), a.b("keepDim"))));
        m.put("var", (t, a) -> one(t[0].var(a.ints("dims"), a.i("correction"), a.b("keepDim"))));
        m.put("std", (t, a) -> one(t[0].std(a.ints("dims"), a.i("correction"), a.b("keepDim"))));
        m.put("logsumexp", (t, a) -> one(t[0].logsumexp(a.ints("dims"), a.b("keepDim"))));
        m.put("norm", (t, a) -> one(t[0].norm()));
        m.put("norm.p", (t, a) -> one(t[0].norm(a.d("p"), a.ints("dims"), a.b("keepDim"))));
        m.put("cumsum", (t, a) -> one(t[0].cumsum(a.i("dim"))));
        m.put("softmax", (t, a) -> one(t[0].softmax(a.i("dim"))));
        m.put("logSoftmax", (t, a) -> one(t[0].logSoftmax(a.i("dim"))));
        m.put("matmul", (t, a) -> one(t[0].matmul(t[1])));
        // ---- views
        m.put("reshape", (t, a) -> one(t[0].reshape(a.ints("shape"))));
        m.put("view", (t, a) -> one(t[0].view(a.ints("shape"))));
        m.put("permute", (t, a) -> one(t[0].permute(a.ints("dims"))));
        m.put("transpose", (t, a) -> one(t[0].transpose(a.i("dim0"), a.i("dim1"))));
        m.put("expand", (t, a) -> one(t[0].expand(a.ints("shape"))));
        m.put("narrow", (t, a) -> one(t[0].narrow(a.i("dim"), a.i("start"), a.i("length"))));
        m.put("slice", (t, a) -> one(t[0].slice(a.i("dim"), a.i("start"), a.i("end"), a.i("step"))));
        m.put("squeeze", (t, a) -> one(t[0].squeeze()));
        m.put("squeeze.dim", (t, a) -> one(t[0].squeeze(a.i("dim"))));
        m.put("unsqueeze", (t, a) -> one(t[0].unsqueeze(a.i("dim"))));
        m.put("flatten", (t, a) -> one(t[0].flatten()));
        m.put("flatten.range", (t, a) -> one(t[0].flatten(a.i("startDim"), a.i("endDim"))));
        m.put("unfold", (t, a) -> one(t[0].unfold(a.i("dim"), a.i("size"), a.i("step"))));
        m.put("contiguous", (t, a) -> one(t[0].contiguous()));
        // ---- joins, splits and copies
        m.put("cat", (t, a) -> one(Tensor.cat(Arrays.asList(t), a.i("dim"))));
        m.put("stack", (t, a) -> one(Tensor.stack(Arrays.asList(t), a.i("dim"))));
        m.put("split", (t, a) -> many(t[0].split(a.i("size"), a.i("dim"))));
        m.put("chunk", (t, a) -> many(t[0].chunk(a.i("chunks"), a.i("dim"))));
        m.put("pad", (t, a) -> one(t[0].pad(a.ints("pad"), a.s("mode"), a.d("value"))));
        m.put("flip", (t, a) -> one(t[0].flip(a.ints("dims"))));
        m.put("repeat", (t, a) -> one(t[0].repeat(a.ints("repeats"))));
        m.put("tril", (t, a) -> one(t[0].tril(a.i("k"))));
        m.put("triu", (t, a) -> one(t[0].triu(a.i("k"))));
        // ---- indexing
        m.put("gather", (t, a) -> one(t[0].gather(a.i("dim"), t[1])));
        m.put("scatter", (t, a) -> one(t[0].scatter(a.i("dim"), t[1], t[2])));
        m.put("scatterAdd", (t, a) -> one(t[0].scatterAdd(a.i("dim"), t[1], t[2])));
        m.put("indexSelect", (t, a) -> one(t[0].indexSelect(a.i("dim"), t[1])));
        // ---- the rest of the Tensor API: more unary math, rounding, predicates
        m.put("expm1", (t, a) -> one(t[0].expm1()));
        m.put("log2", (t, a) -> one(t[0].log2()));
        m.put("log10", (t, a) -> one(t[0].log10()));
        m.put("tan", (t, a) -> one(t[0].tan()));
        m.put("square", (t, a) -> one(t[0].square()));
        m.put("reciprocal", (t, a) -> one(t[0].reciprocal()));
        m.put("erf", (t, a) -> one(t[0].erf()));
        m.put("sinc", (t, a) -> one(t[0].sinc()));
        m.put("floor", (t, a) -> one(t[0].floor()));
        m.put("ceil", (t, a) -> one(t[0].ceil()));
        m.put("trunc", (t, a) -> one(t[0].trunc()));
        m.put("round", (t, a) -> one(t[0].round()));
        m.put("isnan", (t, a) -> one(t[0].isnan()));
        m.put("isinf", (t, a) -> one(t[0].isinf()));
        m.put("isfinite", (t, a) -> one(t[0].isfinite()));
        m.put("clampMin", (t, a) -> one(t[0].clampMin(a.d("min"))));
        m.put("clampMax", (t, a) -> one(t[0].clampMax(a.d("max"))));
        // ---- more binary ops and scalar overloads (Long: a Java long is a Python int)
        m.put("remainder", (t, a) -> one(t[0].remainder(t[1])));
        m.put("remainder.Scalar", (t, a) -> one(t[0].remainder(a.d("other"))));
        m.put("fmod", (t, a) -> one(t[0].fmod(t[1])));
        m.put("floorDivide", (t, a) -> one(t[0].floorDivide(t[1])));
        m.put("atan2", (t, a) -> one(t[0].atan2(t[1])));
        m.put("add.Long", (t, a) -> one(t[0].add(a.l("other"))));
        m.put("sub.Long", (t, a) -> one(t[0].sub(a.l("other"))));
        m.put("mul.Long", (t, a) -> one(t[0].mul(a.l("other"))));
        m.put("rsub", (t, a) -> one(t[0].rsub(a.d("other"))));
        m.put("rdiv", (t, a) -> one(t[0].rdiv(a.d("other"))));
        m.put("add.alpha", (t, a) -> one(t[0].add(t[1], a.d("alpha"))));
        m.put("sub.alpha", (t, a) -> one(t[0].sub(t[1], a.d("alpha"))));
        m.put("lerp", (t, a) -> one(t[0].lerp(t[1], a.d("weight"))));
        // ---- more reductions
        m.put("any", (t, a) -> one(t[0].any()));
        m.put("all", (t, a) -> one(t[0].all()));
        m.put("var.default", (t, a) -> one(t[0].var()));
        m.put("std.default", (t, a) -> one(t[0].std()));
        m.put("var.dim", (t, a) -> one(t[0].var(a.i("dim"), a.b("keepDim"))));
        m.put("std.dim", (t, a) -> one(t[0].std(a.i("dim"), a.b("keepDim"))));
        m.put("logsumexp.dim", (t, a) -> one(t[0].logsumexp(a.i("dim"), a.b("keepDim"))));
        m.put("norm.pAll", (t, a) -> one(t[0].norm(a.d("p"))));
        // ---- more views and copies
        m.put("select", (t, a) -> one(t[0].select(a.i("dim"), a.i("index"))));
        m.put("movedim", (t, a) -> one(t[0].movedim(a.i("source"), a.i("destination"))));
        m.put("diagonal", (t, a) -> one(t[0].diagonal(a.i("offset"), a.i("dim1"), a.i("dim2"))));
        m.put("unflatten", (t, a) -> one(t[0].unflatten(a.i("dim"), a.ints("sizes"))));
        m.put("t", (t, a) -> one(t[0].t()));
        m.put("mT", (t, a) -> one(t[0].mT()));
        m.put("unbind", (t, a) -> many(t[0].unbind(a.i("dim"))));
        m.put("split.sizes", (t, a) -> many(t[0].split(a.ints("sizes"), a.i("dim"))));
        m.put("roll", (t, a) -> one(t[0].roll(a.i("shifts"), a.i("dim"))));
        m.put("clone", (t, a) -> one(t[0].clone()));
        m.put("mm", (t, a) -> one(t[0].mm(t[1])));
        m.put("bmm", (t, a) -> one(t[0].bmm(t[1])));
        m.put("dot", (t, a) -> one(t[0].dot(t[1])));
        m.put("scatter.value", (t, a) -> one(t[0].scatter(a.i("dim"), t[1], a.d("value"))));
        m.put("maskedFill.Tensor", (t, a) -> one(t[0].maskedFill(t[1], t[2])));
        // ---- in-place ops, on a clone of self: autograd forbids them on a leaf (or its view)
        m.put("add_", (t, a) -> one(t[0].clone().add_(t[1])));
        m.put("sub_", (t, a) -> one(t[0].clone().sub_(t[1])));
        m.put("mul_", (t, a) -> one(t[0].clone().mul_(t[1])));
        m.put("div_", (t, a) -> one(t[0].clone().div_(t[1])));
        m.put("maximum_", (t, a) -> one(t[0].clone().maximum_(t[1])));
        m.put("add_.Scalar", (t, a) -> one(t[0].clone().add_(a.d("other"))));
        m.put("sub_.Scalar", (t, a) -> one(t[0].clone().sub_(a.d("other"))));
        m.put("mul_.Scalar", (t, a) -> one(t[0].clone().mul_(a.d("other"))));
        m.put("div_.Scalar", (t, a) -> one(t[0].clone().div_(a.d("other"))));
        m.put("add_.alpha", (t, a) -> one(t[0].clone().add_(t[1], a.d("alpha"))));
        m.put("addcmul_", (t, a) -> one(t[0].clone().addcmul_(t[1], t[2], a.d("value"))));
        m.put("addcdiv_", (t, a) -> one(t[0].clone().addcdiv_(t[1], t[2], a.d("value"))));
        m.put("sqrt_", (t, a) -> one(t[0].clone().sqrt_()));
        m.put("neg_", (t, a) -> one(t[0].clone().neg_()));
        m.put("relu_", (t, a) -> one(t[0].clone().relu_()));
        m.put("exp_", (t, a) -> one(t[0].clone().exp_()));
        m.put("clamp_", (t, a) -> one(t[0].clone().clamp_(a.d("min"), a.d("max"))));
        m.put("maskedFill_", (t, a) -> one(t[0].clone().maskedFill_(t[1], a.d("value"))));
        m.put("copy_", (t, a) -> one(t[0].clone().copy_(t[1])));
        m.put("fill_", (t, a) -> one(t[0].clone().fill_(a.d("value"))));
        m.put("zero_", (t, a) -> one(t[0].clone().zero_()));
        // ---- factories (no inputs, or only a template)
        m.put("ones.dtype", (t, a) -> one(Tensor.ones(a.dtype("dtype"), a.ints("shape"))));
        m.put("full.dtype", (t, a) -> one(Tensor.full(a.d("value"), a.dtype("dtype"), a.ints("shape"))));
        m.put("eye.nm", (t, a) -> one(Tensor.eye(a.i("n"), a.i("m"))));
        m.put("arange.double.dtype", (t, a) -> one(Tensor.arange(a.d("start"), a.d("end"), a.d("step"), a.dtype("dtype"))));
        m.put("zerosLike", (t, a) -> one(Tensor.zerosLike(t[0])));
        m.put("onesLike", (t, a) -> one(Tensor.onesLike(t[0])));
        m.put("fullLike", (t, a) -> one(Tensor.fullLike(t[0], a.d("value"))));
        m.put("zeros", (t, a) -> one(Tensor.zeros(a.ints("shape"))));
        m.put("zeros.dtype", (t, a) -> one(Tensor.zeros(a.dtype("dtype"), a.ints("shape"))));
        m.put("ones", (t, a) -> one(Tensor.ones(a.ints("shape"))));
        m.put("full", (t, a) -> one(Tensor.full(a.d("value"), a.ints("shape"))));
        m.put("arange", (t, a) -> one(Tensor.arange(a.l("end"))));
        m.put("arange.range", (t, a) -> one(Tensor.arange(a.l("start"), a.l("end"), a.l("step"))));
        m.put("arange.double", (t, a) -> one(Tensor.arange(a.d("start"), a.d("end"), a.d("step"))));
        m.put("linspace", (t, a) -> one(Tensor.linspace(a.d("start"), a.d("end"), a.i("steps"))));
        m.put("eye", (t, a) -> one(Tensor.eye(a.i("n"))));
        return Collections.unmodifiableMap(m);
    }
}
