package org.sinter.ops;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Shape;
import org.sinter.Storage;
import org.sinter.Tensor;

/** Indexing ops: gather, scatter, scatterAdd, indexSelect, indexAdd, where and maskedFill. */
public final class IndexOps {
    private IndexOps() {}

    private static void checkIndex(String op, Tensor index) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, got " + index.dtype().name());
        }
    }

    /** Validates gather/scatter geometry: same rank, index no larger than the tensor off the dim. */
    private static void checkGeometry(String op, Tensor self, int d, Tensor index, Tensor src) {
        if (index.dim() != self.dim() && !(index.dim() <= 1 && self.dim() <= 1)) {
            throw new IllegalArgumentException(op + "(): Index tensor must have the same number of dimensions as input tensor ("
                    + Arrays.toString(index.shape()) + " vs " + Arrays.toString(self.shape()) + ")");
        }
        int[] is = index.shape(), ss = self.shape();
        for (int i = 0; i < is.length && i < ss.length; i++) {
            if (i != d && is[i] > ss[i]) {
                throw new IllegalArgumentException(op + "(): Size does not match at dimension " + i + " expected index "
                        + Arrays.toString(is) + " to be smaller than self " + Arrays.toString(ss) + " apart from dimension " + d);
            }
            if (src != null && src.dim() == is.length && is[i] > src.shape()[i]) {
                throw new IllegalArgumentException(op + "(): Expected index " + Arrays.toString(is) + " to be smaller than src "
                        + Arrays.toString(src.shape()));
            }
        }
    }

    /** Receives one row of the index-shaped walk: offsets and row strides of index and data operands. */
    private interface Visitor { void visit(int idxOffset, int idxStride, int[] dataOffsets, int[] dataStrides, int n); }

    /**
     * Walks the index's shape over the index and the data operands; operands flagged in
     * {@code indexed} have their stride along {@code d} zeroed (the index value supplies it).
     */
    private static void walk(Tensor index, int d, Tensor[] data, boolean[] indexed, Visitor v) {
        int[] ishape = index.shape();
        int k = data.length;
        int[][] strides = new int[k + 1][];
        int[] offs = new int[k + 1];
        strides[0] = index.stride();
        offs[0] = index.storageOffset();
        for (int i = 0; i < k; i++) {
            int[] st = data[i].dim() == 0 ? new int[ishape.length] : data[i].stride().clone();
            if (indexed[i] && st.length > d) st[d] = 0;
            strides[i + 1] = Arrays.copyOf(st, ishape.length);
            offs[i + 1] = data[i].storageOffset();
        }
        StridedIter it = new StridedIter(ishape, strides, offs);
        int[] inner = Arrays.copyOfRange(it.innerStrides, 1, k + 1);
        it.forRows(0, it.rows, (o, n) -> v.visit(o[0], it.innerStrides[0], Arrays.copyOfRange(o, 1, k + 1), inner, n));
    }

    private static long idxAt(Storage s, int p, int bound, String op, int d) {
        long i = s.getLong(p);
        if (i < -bound || i >= bound) {
            throw new IndexOutOfBoundsException(op + "(): index " + i + " is out of bounds for dimension " + d + " with size " + bound);
        }
        return i < 0 ? i + bound : i;
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        checkIndex("gather", index);
        int d = Shape.wrapDim("gather", dim, x.dim());
        checkGeometry("gather", x, d, index, null);
        return Dispatch.apply1(new GatherOp(d), x, index);
    }

    static final class GatherOp extends Op {
        final int dim;

        GatherOp(int dim) { this.dim = dim; }

        @Override public String name() { return "gather"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0], index = in[1];
            Tensor out = Tensor.empty(x.dtype(), index.shape());
            int bound = x.dim() == 0 ? 1 : x.shape()[dim];
            int dstride = x.dim() == 0 ? 0 : x.stride()[dim];
            Storage xs = x.storage(), is = index.storage(), os = out.storage();
            walk(index, dim, new Tensor[] {x, out}, new boolean[] {true, false}, (io, ist, offs, inner, n) -> {
                for (int e = 0; e < n; e++) {
                    long i = idxAt(is, io + e * ist, bound, "gather", dim);
                    copyElem(xs, offs[0] + e * inner[0] + (int) i * dstride, os, offs[1] + e * inner[1]);
                }
            });
            return new Tensor[] {out};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            Tensor zeros = Tensor.zeros(g[0].dtype(), ctx.inputShape(0));
            return new Tensor[] {scatterAdd(zeros, dim, ctx.input(1), g[0]), null};
        }
    }

    private static void copyElem(Storage src, int sp, Storage dst, int dp) {
        switch (dst.dtype()) {
            case FLOAT32 -> dst.floats()[dp] = src.floats()[sp];
            case FLOAT64 -> dst.doubles()[dp] = src.doubles()[sp];
            case INT64 -> dst.longs()[dp] = src.longs()[sp];
            case INT32 -> dst.ints()[dp] = src.ints()[sp];
            case BOOL -> dst.bytes()[dp] = src.bytes()[sp];
            default -> dst.shorts()[dp] = src.shorts()[sp];
        }
    }

    private static void addElem(Storage src, int sp, Storage dst, int dp) {
        switch (dst.dtype()) {
            case FLOAT32 -> dst.floats()[dp] += src.floats()[sp];
            case FLOAT64 -> dst.doubles()[dp] += src.doubles()[sp];
            case INT64 -> dst.longs()[dp] += src.longs()[sp];
            case INT32 -> dst.ints()[dp] += src.ints()[sp];
            default -> dst.setDouble(dp, dst.getDouble(dp) + src.getDouble(sp));
        }
    }

    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        checkIndex("scatter", index);
        int d = Shape.wrapDim("scatter", dim, x.dim());
        if (src.dim() == 0) src = src.to(x.dtype()).expand(index.shape());
        checkGeometry("scatter", x, d, index, src);
        return Dispatch.apply1(new ScatterOp(d, false), x, index, src);
    }

    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        checkIndex("scatter_add", index);
        int d = Shape.wrapDim("scatter_add", dim, x.dim());
        checkGeometry("scatter_add", x, d, index, src);
        return Dispatch.apply1(new ScatterOp(d, true), x, index, src);
    }

    static final class ScatterOp extends Op {
        final int dim;
        final boolean add;

        ScatterOp(int dim, boolean add) {
            this.dim = dim;
            this.add = add;
        }

        @Override public String name() { return add ? "scatter_add" : "scatter"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0], index = in[1], src = Copy.dense(in[2], in[0].dtype());
            Tensor out = Tensor.empty(x.dtype(), x.shape());
            Copy.copyInto(out, x);
            int bound = x.dim() == 0 ? 1 : x.shape()[dim];
            int dstride = x.dim() == 0 ? 0 : out.stride()[dim];
            Storage os = out.storage(), is = index.storage(), ss = src.storage();
            walk(index, dim, new Tensor[] {out, src}, new boolean[] {true, false}, (io, ist, offs, inner, n) -> {
                for (int e = 0; e < n; e++) {
                    long i = idxAt(is, io + e * ist, bound, name(), dim);
                    int dp = offs[0] + e * inner[0] + (int) i * dstride;
                    int sp = offs[1] + e * inner[1];
                    if (add) addElem(ss, sp, os, dp);
                    else copyElem(ss, sp, os, dp);
                }
            });
            return new Tensor[] {out};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            Tensor index = ctx.input(1);
            Tensor gSelf = add ? g[0] : scatter(g[0], dim, index, Tensor.scalar(0, g[0].dtype()));
            Tensor gSrc = ctx.needsInputGrad(2) ? gather(g[0], dim, index) : null;
            return new Tensor[] {gSelf, null, gSrc};
        }
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        checkIndex("index_select", index);
        if (index.dim() > 1) throw new IllegalArgumentException("index_select(): Index is supposed to be a vector, got " + Arrays.toString(index.shape()));
        int d = Shape.wrapDim("index_select", dim, x.dim());
        return Dispatch.apply1(new IndexSelectOp(d), x, index);
    }

    static final class IndexSelectOp extends Op {
        final int dim;

        IndexSelectOp(int dim) { this.dim = dim; }

        @Override public String name() { return "index_select"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return true; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0], index = in[1];
            int[] sh = x.shape();
            int n = index.numel();
            if (x.dim() == 0) {
                Tensor out = Tensor.empty(x.dtype(), index.shape());
                for (int i = 0; i < n; i++) { idxAt(index.storage(), index.storageOffset(), 1, "index_select", 0); Copy.copyInto(out.reshape(-1).narrow(0, i, 1), x.reshape(1)); }
                return new Tensor[] {out};
            }
            int bound = sh[dim];
            sh[dim] = n;
            Tensor out = Tensor.empty(x.dtype(), sh);
            Tensor idx = Copy.dense(index, DType.INT64).reshape(-1);
            long[] iv = idx.storage().longs();
            int io = idx.storageOffset();
            for (int i = 0; i < n; i++) {
                long k = iv[io + i];
                if (k < -bound || k >= bound) {
                    throw new IndexOutOfBoundsException("index_select(): index " + k + " is out of bounds for dimension " + dim + " with size " + bound);
                }
                if (k < 0) k += bound;
                Copy.copyInto(ViewOps.slice0(out, dim, i, 1), ViewOps.slice0(x, dim, (int) k, 1));
            }
            return new Tensor[] {out};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            Tensor zeros = Tensor.zeros(g[0].dtype(), ctx.inputShape(0));
            return new Tensor[] {indexAdd(zeros, dim, ctx.input(1), g[0]), null};
        }
    }

    /** {@code out = x.clone(); out.select(dim, index[i]) += src.select(dim, i)}. */
    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) {
        checkIndex("index_add", index);
        int d = Shape.wrapDim("index_add", dim, x.dim());
        return Dispatch.apply1(new ShapeOps.StructOp("index_add", Map.of("dim", d), in -> {
            Tensor out = Tensor.empty(in[0].dtype(), in[0].shape());
            Copy.copyInto(out, in[0]);
            if (out.dim() == 0) {
                for (int i = 0; i < in[1].numel(); i++) Copy.addIntoSerial(out, in[2].reshape(-1).narrow(0, i, 1).reshape());
                return new Tensor[] {out};
            }
            Tensor idx = Copy.dense(in[1], DType.INT64).reshape(-1);
            Tensor s = Copy.dense(in[2], out.dtype());
            int bound = out.shape()[d];
            for (int i = 0; i < idx.numel(); i++) {
                long k = idx.storage().longs()[idx.storageOffset() + i];
                if (k < -bound || k >= bound) throw new IndexOutOfBoundsException("index_add(): index " + k + " is out of bounds for dimension " + d + " with size " + bound);
                if (k < 0) k += bound;
                Copy.addIntoSerial(ViewOps.slice0(out, d, (int) k, 1), ViewOps.slice0(s, d, i, 1));
            }
            return new Tensor[] {out};
        }, (ctx, g) -> new Tensor[] {g[0], null, g[0].indexSelect(d, index)}), x, index, src);
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected condition to be a bool tensor, got " + cond.dtype().name());
        }
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        DType rt = TypePromotion.resultType(a, b);
        return Dispatch.apply1(new WhereOp(shape, rt), cond, a, b);
    }

    static final class WhereOp extends Op {
        final int[] shape;
        final DType rt;

        WhereOp(int[] shape, DType rt) {
            this.shape = shape;
            this.rt = rt;
        }

        @Override public String name() { return "where"; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor c = in[0], a = Elementwise.as(in[1], rt), b = Elementwise.as(in[2], rt);
            Tensor out = Tensor.empty(rt, shape);
            StridedIter it = new StridedIter(shape, new int[][] {out.stride(),
                    Shape.broadcastStrides(c.shape(), c.stride(), shape),
                    Shape.broadcastStrides(a.shape(), a.stride(), shape),
                    Shape.broadcastStrides(b.shape(), b.stride(), shape)},
                    new int[] {0, c.storageOffset(), a.storageOffset(), b.storageOffset()});
            byte[] cv = c.storage().bytes();
            Storage as = a.storage(), bs = b.storage(), os = out.storage();
            int cs = it.innerStrides[1], ast = it.innerStrides[2], bst = it.innerStrides[3];
            it.forEachRow((o, n) -> {
                if (rt == DType.FLOAT32) {
                    float[] x = as.floats(), y = bs.floats(), z = os.floats();
                    for (int e = 0; e < n; e++) z[o[0] + e] = cv[o[1] + e * cs] != 0 ? x[o[2] + e * ast] : y[o[3] + e * bst];
                } else {
                    for (int e = 0; e < n; e++) copyElem(cv[o[1] + e * cs] != 0 ? as : bs, cv[o[1] + e * cs] != 0 ? o[2] + e * ast : o[3] + e * bst, os, o[0] + e);
                }
            });
            return new Tensor[] {out};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            Tensor c = ctx.input(0);
            Tensor zero = Tensor.scalar(0, g[0].dtype());
            return new Tensor[] {null,
                    ctx.needsInputGrad(1) ? where(c, g[0], zero) : null,
                    ctx.needsInputGrad(2) ? where(c, zero, g[0]) : null};
        }
    }

    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill: expected a bool mask, got " + mask.dtype().name());
        }
        if (!Shape.broadcastableTo(mask.shape(), x.shape())) {
            throw new IllegalArgumentException("masked_fill: mask of shape " + Arrays.toString(mask.shape())
                    + " cannot be broadcast to the tensor's shape " + Arrays.toString(x.shape()));
        }
        return where(mask, Tensor.scalar(value, x.dtype()), x).expand(x.shape());
    }
}
