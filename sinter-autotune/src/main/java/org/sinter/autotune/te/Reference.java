package org.sinter.autotune.te;

import java.util.List;

/**
 * The reference kernel of any compute declaration: its definition run literally, every sum in
 * double, padded loads reading zero outside. Slow and obviously right; every tuning candidate is
 * checked against it.
 */
public final class Reference {
    private Reference() {}

    public static float[] run(ComputeDecl d, List<float[]> inputs) {
        List<Axis> axes = d.axes();
        int nAxes = axes.size(), nSpatial = d.spatial().size();
        String[] names = axes.stream().map(Axis::name).toArray(String[]::new);
        int[] ext = axes.stream().mapToInt(Axis::extent).toArray();
        int[] point = new int[nAxes];
        float[] out = new float[d.outSize()];
        int[] outStrides = new Placeholder("out", d.outShape(), false).strides();
        Compiled body = compile(d.body(), d, names, inputs), epi = compile(d.epilogue(), d, names, inputs);
        int[][] outCoef = coefs(d.outIndex(), names);
        int[] outConst = d.outIndex().stream().mapToInt(Affine::constant).toArray();
        while (true) {
            double acc = 0;
            for (int r = nSpatial; r < nAxes; r++) point[r] = 0;
            while (true) {
                acc += body.eval(point, 0);
                int r = nAxes - 1;
                while (r >= nSpatial && ++point[r] == ext[r]) point[r--] = 0;
                if (r < nSpatial) break;
            }
            int o = 0;
            for (int k = 0; k < outStrides.length; k++) o += dot(outCoef[k], point, outConst[k]) * outStrides[k];
            out[o] = (float) epi.eval(point, acc);
            int sp = nSpatial - 1;
            while (sp >= 0 && ++point[sp] == ext[sp]) point[sp--] = 0;
            if (sp < 0) return out;
        }
    }

    private interface Compiled {
        double eval(int[] point, double acc);
    }

    private static Compiled compile(Expr e, ComputeDecl d, String[] names, List<float[]> inputs) {
        return switch (e) {
            case Expr.Const c -> (p, a) -> c.value();
            case Expr.Acc x -> (p, a) -> a;
            case Expr.Binary b -> {
                Compiled x = compile(b.a(), d, names, inputs), y = compile(b.b(), d, names, inputs);
                yield switch (b.fn()) {
                    case ADD -> (p, a) -> x.eval(p, a) + y.eval(p, a);
                    case MUL -> (p, a) -> x.eval(p, a) * y.eval(p, a);
                    case MAX -> (p, a) -> Math.max(x.eval(p, a), y.eval(p, a));
                };
            }
            case Expr.Unary u -> {
                Compiled x = compile(u.a(), d, names, inputs);
                yield switch (u.fn()) {
                    case RELU -> (p, a) -> Math.max(x.eval(p, a), 0);
                    case SIGMOID -> (p, a) -> 1 / (1 + Math.exp(-x.eval(p, a)));
                    case TANH -> (p, a) -> Math.tanh(x.eval(p, a));
                    case SQRT -> (p, a) -> Math.sqrt(x.eval(p, a));
                    case IDENTITY -> x;
                };
            }
            case Expr.Load l -> {
                int which = d.inputs().indexOf(d.input(l.tensor()));
                float[] data = inputs.get(which);
                Placeholder ph = d.inputs().get(which);
                int[] shape = ph.shape(), strides = ph.strides();
                int[][] coef = coefs(l.index(), names);
                int[] cst = l.index().stream().mapToInt(Affine::constant).toArray();
                yield (p, a) -> {
                    int off = 0;
                    for (int k = 0; k < shape.length; k++) {
                        int i = dot(coef[k], p, cst[k]);
                        if (i < 0 || i >= shape[k]) return 0; // padding (unpadded loads were checked in range by Lowering)
                        off += i * strides[k];
                    }
                    return data[off];
                };
            }
        };
    }

    private static int[][] coefs(List<Affine> index, String[] names) {
        int[][] c = new int[index.size()][names.length];
        for (int k = 0; k < index.size(); k++) for (int a = 0; a < names.length; a++) c[k][a] = index.get(k).coef(names[a]);
        return c;
    }

    private static int dot(int[] coef, int[] point, int c) {
        int s = c;
        for (int a = 0; a < coef.length; a++) s += coef[a] * point[a];
        return s;
    }
}
