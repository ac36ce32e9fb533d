package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.onnx.ElementTypes;

/**
 * ONNX's random generators: {@code RandomUniform}, {@code RandomNormal} (and their {@code Like}
 * forms, shaped and typed after an input), {@code Bernoulli} and {@code Multinomial}. Each draws
 * from a fresh uniform or normal fill, which the compiler's tracer turns into a value drawn at the
 * start of every run, so the graph stays pure and each run draws anew. Without {@code seed} the
 * draws come from Sinter's global generator ({@code Sinter.manualSeed} makes runs repeatable);
 * with one, from a generator of that seed made when the graph is built, whose stream continues
 * from run to run (as ONNX Runtime's seeded kernels do). No generator reproduces NumPy's, so the
 * backend tests' expected values (drawn by NumPy) cannot match; the tests here check
 * distributions, shapes and types instead.
 */
final class RandomKernels {
    private RandomKernels() {}

    static void register(OpRegistry r) {
        r.add("RandomUniform", n -> one(uniform(n, DType.FLOAT32, shape(n)).to(dtype(n, 1))), "dtype", "high", "low", "seed", "shape");
        r.add("RandomNormal", n -> one(normal(n, shape(n)).to(dtype(n, 1))), "dtype", "mean", "scale", "seed", "shape");
        r.add("RandomUniformLike", n -> one(uniform(n, DType.FLOAT32, n.in(0).shape()).to(likeType(n))), "dtype", "high", "low", "seed");
        r.add("RandomNormalLike", n -> one(normal(n, n.in(0).shape()).to(likeType(n))), "dtype", "mean", "scale", "seed");
        r.add("Bernoulli", RandomKernels::bernoulli, "dtype", "seed");
        r.add("Multinomial", RandomKernels::multinomial, "dtype", "sample_size", "seed");
    }

    /**
     * The node's generator: one of its {@code seed} (a float for the random operators, an int for
     * Dropout), made when the graph is built, else the global one.
     */
    static Generator generator(NodeContext n) {
        if (!n.hasAttr("seed")) return Generator.global();
        return new Generator(n.opType().equals("Dropout") ? n.attrInt("seed", 0) : Float.floatToIntBits(n.attrFloat("seed", 0f)));
    }

    private static int[] shape(NodeContext n) {
        long[] s = n.attrInts("shape", null);
        if (s == null) throw n.error("attribute 'shape' is required");
        long count = 1;
        for (long d : s) {
            if (d < 0) throw n.error("shape " + java.util.Arrays.toString(s) + " has a negative dimension");
            count *= d;
            if (count > Integer.MAX_VALUE - 16) throw n.error("shape " + java.util.Arrays.toString(s) + " has more than 2^31 elements");
        }
        return NodeContext.toInts(s);
    }

    private static DType dtype(NodeContext n, int dflt) {
        DType d = ElementTypes.dtype((int) n.attrInt("dtype", dflt), n.describe() + " attribute 'dtype'");
        if (!d.isFloatingPoint()) throw n.error("dtype must be a floating-point type, got " + d);
        return d;
    }

    private static DType likeType(NodeContext n) {
        return n.hasAttr("dtype") ? dtype(n, 1) : n.in(0).isFloatingPoint() ? n.in(0).dtype() : DType.FLOAT32;
    }

    private static Tensor uniform(NodeContext n, DType dtype, int[] shape) {
        double low = n.attrFloat("low", 0f), high = n.attrFloat("high", 1f);
        if (!(high >= low)) throw n.error("high " + high + " is below low " + low);
        return generator(n).uniform_(Tensor.empty(dtype, shape), low, high);
    }

    private static Tensor normal(NodeContext n, int[] shape) {
        double mean = n.attrFloat("mean", 0f), scale = n.attrFloat("scale", 1f);
        if (!(scale >= 0)) throw n.error("scale " + scale + " is negative");
        return generator(n).normal_(Tensor.empty(DType.FLOAT32, shape), mean, scale);
    }

    /** 1 with probability p (the input), else 0: a uniform draw below p. */
    private static Tensor[] bernoulli(NodeContext n) {
        Tensor p = n.in(0);
        if (!p.isFloatingPoint()) throw n.error("input must be probabilities (floating point), got " + p.dtype());
        DType out = n.hasAttr("dtype") ? ElementTypes.dtype((int) n.attrInt("dtype", 1), n.describe() + " attribute 'dtype'") : p.dtype();
        Tensor u = generator(n).uniform_(Tensor.empty(DType.FLOAT32, p.shape()), 0, 1);
        return one(u.lt(p.to(DType.FLOAT32)).to(out));
    }

    /**
     * {@code sample_size} class indices per row of unnormalised log-probabilities [batch, classes],
     * by inverse transform: the number of classes whose cumulative probability is at or below a
     * uniform draw (clamped to the last class against rounding).
     */
    private static Tensor[] multinomial(NodeContext n) {
        Tensor logits = n.in(0);
        if (logits.dim() != 2) throw n.error("input must be [batch_size, class_size], got " + logits.describe());
        int samples = (int) n.attrInt("sample_size", 1);
        if (samples < 1) throw n.error("sample_size must be >= 1, got " + samples);
        DType out = ElementTypes.dtype((int) n.attrInt("dtype", 6), n.describe() + " attribute 'dtype'");
        if (out != DType.INT32 && out != DType.INT64) throw n.error("dtype must be int32 or int64, got " + out);
        int batch = logits.size(0), classes = logits.size(1);
        Tensor cdf = logits.to(DType.FLOAT32).softmax(1).cumsum(1).reshape(batch, 1, classes);
        Tensor u = generator(n).uniform_(Tensor.empty(DType.FLOAT32, batch, samples, 1), 0, 1);
        Tensor index = cdf.le(u).to(DType.INT64).sum(new int[] {2}, false).clamp(0, classes - 1);
        return one(index.to(out));
    }
}
