package org.sinter.backend.cpu;

import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Storage;
import org.sinter.Tensor;
import org.sinter.ops.TypePromotion;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.BinaryKernels;
import org.sinter.kernels.CompareFn;
import org.sinter.kernels.CompareKernels;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.kernels.UnaryKernels;

/**
 * The plumbing between elementwise ops and the array kernels: broadcasting, strided rows, dtype
 * conversion into the computation type (float32 for the half types), and writing into an
 * existing tensor for the in-place forms. Semantics live in the ops; arithmetic in the kernels.
 */
public final class Elementwise {
    private Elementwise() {}

    /** {@code t} converted to {@code dt} (a copy only when the dtype differs; strides are kept otherwise). */
    public static Tensor as(Tensor t, DType dt) {
        return t.dtype() == dt ? t : Copy.dense(t, dt);
    }

    /** Applies a unary function; the result has dtype {@code outType}. */
    public static Tensor unary(UnaryFn fn, Tensor x, double p0, double p1, DType outType) {
        DType ct = outType.computeType();
        Tensor out = Tensor.empty(ct, x.shape());
        unaryInto(fn, out, as(x, ct), p0, p1);
        return ct == outType ? out : Copy.dense(out, outType);
    }

    /** Writes fn(x) into {@code out} (same shape, dtype ct, x already of dtype ct). */
    private static void unaryInto(UnaryFn fn, Tensor out, Tensor x, double p0, double p1) {
        StridedIter it = new StridedIter(out.shape(), new int[][] {out.stride(), x.stride()},
                new int[] {out.storageOffset(), x.storageOffset()});
        Storage os = out.storage(), xs = x.storage();
        int xst = it.innerStrides[1];
        boolean direct = it.innerStrides[0] == 1;
        switch (out.dtype()) {
            case FLOAT32 -> it.forEachRow((offs, n) -> {
                if (direct) UnaryKernels.f32(fn, (float) p0, (float) p1, xs.floats(), offs[1], xst, os.floats(), offs[0], n);
                else scalarUnary(fn, p0, p1, xs, offs[1], xst, os, offs[0], it.innerStrides[0], n);
            });
            case FLOAT64 -> it.forEachRow((offs, n) -> {
                if (direct) UnaryKernels.f64(fn, p0, p1, xs.doubles(), offs[1], xst, os.doubles(), offs[0], n);
                else scalarUnary(fn, p0, p1, xs, offs[1], xst, os, offs[0], it.innerStrides[0], n);
            });
            default -> it.forEachRow((offs, n) -> integerUnary(fn, p0, p1, xs, offs[1], xst, os, offs[0], it.innerStrides[0], n));
        }
    }

    private static void scalarUnary(UnaryFn fn, double p0, double p1, Storage xs, int xo, int xst, Storage os, int oo, int ost, int n) {
        double[] tmpIn = new double[n], tmpOut = new double[n];
        for (int i = 0; i < n; i++) tmpIn[i] = xs.getDouble(xo + i * xst);
        UnaryKernels.f64(fn, p0, p1, tmpIn, 0, 1, tmpOut, 0, n);
        for (int i = 0; i < n; i++) os.setDouble(oo + i * ost, tmpOut[i]);
    }

    /** Integer and bool unary ops (neg, abs, sign, relu, clamp, rounding): exact, in long. */
    private static void integerUnary(UnaryFn fn, double p0, double p1, Storage xs, int xo, int xst, Storage os, int oo, int ost, int n) {
        for (int i = 0; i < n; i++) {
            long v = xs.getLong(xo + i * xst);
            long r = switch (fn) {
                case NEG -> -v;
                case ABS -> Math.abs(v);
                case SIGN -> Long.signum(v);
                case RELU -> Math.max(v, 0);
                case SQUARE -> v * v;
                case CLAMP -> (long) Math.min(Math.max((double) v, p0), p1);
                case FLOOR, CEIL, ROUND, TRUNC -> v;
                case POW_SCALAR -> {
                    long acc = 1, b = v;
                    for (long e = (long) p0; e > 0; e >>= 1) { if ((e & 1) != 0) acc *= b; b *= b; }
                    yield acc;
                }
                case AFFINE -> (long) (p0 * v + p1);
                default -> throw new IllegalArgumentException(fn.name().toLowerCase() + ": not implemented for integer tensors");
            };
            os.setLong(oo + i * ost, r);
        }
    }

    /** Applies fn(a, b) with broadcasting; the result has dtype {@code outType}. */
    public static Tensor binary(String op, BinaryFn fn, Tensor a, Tensor b, DType outType) {
        int[] shape = Shape.broadcast(op, a.shape(), b.shape());
        DType ct = computeTypeFor(outType);
        Tensor out = Tensor.empty(ct, shape);
        binaryInto(fn, out, as(a, ct), as(b, ct));
        return ct == outType ? out : Copy.dense(out, outType);
    }

    /** Writes fn(a, b) into {@code target} in place (the target's dtype and shape rule). */
    public static void binaryInPlace(BinaryFn fn, Tensor target, Tensor a, Tensor b, DType resultType) {
        // Dispatch has checked the result's shape against the target (the op's meta function).
        int[] shape = target.shape();
        DType ct = computeTypeFor(resultType);
        if (target.dtype() == ct) {
            binaryInto(fn, target, as(a, ct), as(b, ct));
        } else {
            Tensor tmp = Tensor.empty(ct, shape);
            binaryInto(fn, tmp, as(a, ct), as(b, ct));
            Copy.copyInto(target, tmp);
        }
    }

    private static DType computeTypeFor(DType outType) {
        return outType == DType.BOOL ? DType.INT32 : outType.computeType();
    }

    private static void binaryInto(BinaryFn fn, Tensor out, Tensor a, Tensor b) {
        int[] shape = out.shape();
        StridedIter it = new StridedIter(shape,
                new int[][] {out.stride(), Shape.broadcastStrides(a.shape(), a.stride(), shape), Shape.broadcastStrides(b.shape(), b.stride(), shape)},
                new int[] {out.storageOffset(), a.storageOffset(), b.storageOffset()});
        Storage os = out.storage(), as = a.storage(), bs = b.storage();
        int ost = it.innerStrides[0], ast = it.innerStrides[1], bst = it.innerStrides[2];
        if (ost != 1) {
            // A strided destination (in-place into a view): compute the row contiguously, then scatter.
            it.forEachRow((offs, n) -> {
                Tensor row = Tensor.empty(out.dtype(), n);
                rowKernel(fn, out.dtype(), as, offs[1], ast, bs, offs[2], bst, row.storage(), 0, n);
                for (int i = 0; i < n; i++) os.setDouble(offs[0] + i * ost, row.storage().getDouble(i));
            });
            return;
        }
        DType dt = out.dtype();
        it.forEachRow((offs, n) -> rowKernel(fn, dt, as, offs[1], ast, bs, offs[2], bst, os, offs[0], n));
    }

    private static void rowKernel(BinaryFn fn, DType dt, Storage as, int ao, int ast, Storage bs, int bo, int bst, Storage os, int oo, int n) {
        switch (dt) {
            case FLOAT32 -> BinaryKernels.f32(fn, as.floats(), ao, ast, bs.floats(), bo, bst, os.floats(), oo, n);
            case FLOAT64 -> BinaryKernels.f64(fn, as.doubles(), ao, ast, bs.doubles(), bo, bst, os.doubles(), oo, n);
            case INT32 -> BinaryKernels.i32(fn, as.ints(), ao, ast, bs.ints(), bo, bst, os.ints(), oo, n);
            case INT64 -> BinaryKernels.i64(fn, as.longs(), ao, ast, bs.longs(), bo, bst, os.longs(), oo, n);
            default -> throw new IllegalStateException("no binary kernel for " + dt);
        }
    }

    /** Elementwise comparison in the operands' common type; bool result. */
    public static Tensor compare(String op, CompareFn fn, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(op, a.shape(), b.shape());
        DType ct = TypePromotion.resultType(a, b).computeType();
        Tensor ac = as(a, ct), bc = as(b, ct);
        Tensor out = Tensor.empty(DType.BOOL, shape);
        StridedIter it = new StridedIter(shape,
                new int[][] {out.stride(), Shape.broadcastStrides(ac.shape(), ac.stride(), shape), Shape.broadcastStrides(bc.shape(), bc.stride(), shape)},
                new int[] {0, ac.storageOffset(), bc.storageOffset()});
        Storage as = ac.storage(), bs = bc.storage();
        byte[] y = out.storage().bytes();
        int ast = it.innerStrides[1], bst = it.innerStrides[2];
        it.forEachRow((offs, n) -> {
            switch (ct) {
                case FLOAT32 -> CompareKernels.f32(fn, as.floats(), offs[1], ast, bs.floats(), offs[2], bst, y, offs[0], n);
                case FLOAT64 -> CompareKernels.f64(fn, as.doubles(), offs[1], ast, bs.doubles(), offs[2], bst, y, offs[0], n);
                case INT32 -> CompareKernels.i32(fn, as.ints(), offs[1], ast, bs.ints(), offs[2], bst, y, offs[0], n);
                case INT64 -> CompareKernels.i64(fn, as.longs(), offs[1], ast, bs.longs(), offs[2], bst, y, offs[0], n);
                case BOOL -> CompareKernels.u8(fn, as.bytes(), offs[1], ast, bs.bytes(), offs[2], bst, y, offs[0], n);
                default -> throw new IllegalStateException("no compare kernel for " + ct);
            }
        });
        return out;
    }
}
