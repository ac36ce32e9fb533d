package org.sinter.ops;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.ScalarConversion;
import org.sinter.Shape;
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

    /** {@code out[i][j] = x[i][index[i][j]]} (for dim 1): the output has the index's shape. */
    public record Gather(int dim) implements Op {
        @Override public String name() { return "gather"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkIndex(name(), in[1]);
            checkGeometry(name(), in[0], dim, in[1], null);
            return Op.one(in[1].shape(), in[0].dtype());
        }
    }

    /** {@code out = x.clone(); out[i][index[i][j]] = src[i][j]} (or {@code +=} when {@code add}). */
    public record Scatter(int dim, boolean add) implements Op {
        @Override public String name() { return add ? "scatter_add" : "scatter"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkIndex(name(), in[1]);
            checkGeometry(name(), in[0], dim, in[1], in[2]);
            return Op.one(in[0].shape(), in[0].dtype());
        }
    }

    /** The slices of x at the given indices along dim. */
    public record IndexSelect(int dim) implements Op {
        @Override public String name() { return "index_select"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            Tensor x = in[0], index = in[1];
            checkIndex(name(), index);
            if (index.dim() > 1) throw new IllegalArgumentException("index_select(): Index is supposed to be a vector, got " + Arrays.toString(index.shape()));
            if (x.dim() == 0) return Op.one(index.shape(), x.dtype());
            int[] sh = x.shape();
            sh[dim] = Shape.numel(index);
            return Op.one(sh, x.dtype());
        }
    }

    /** {@code out = x.clone(); out.select(dim, index[i]) += src.select(dim, i)}. */
    public record IndexAdd(int dim) implements Op {
        @Override public String name() { return "index_add"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return true; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkIndex(name(), in[1]);
            return Op.one(in[0].shape(), in[0].dtype());
        }
    }

    /** {@code cond ? a : b}, broadcast, in the promoted type of a and b. */
    public record Where() implements Op {
        @Override public String name() { return "where"; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            if (in[0].dtype() != DType.BOOL) {
                throw new IllegalArgumentException("where: expected condition to be a bool tensor, got " + in[0].dtype().name());
            }
            int[] shape = Shape.broadcast("where", Shape.broadcast("where", in[0].shape(), in[1].shape()), in[2].shape());
            return Op.one(shape, TypePromotion.resultType(in[1], in[2]));
        }
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        checkIndex("gather", index);
        return Dispatch.apply1(new Gather(Shape.wrapDim("gather", dim, x.dim())), x, index);
    }

    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        checkIndex("scatter", index);
        int d = Shape.wrapDim("scatter", dim, x.dim());
        if (src.dim() == 0) src = src.to(x.dtype()).to(x.device()).expand(index.shape());
        return Dispatch.apply1(new Scatter(d, false), x, index, src);
    }

    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        checkIndex("scatter_add", index);
        return Dispatch.apply1(new Scatter(Shape.wrapDim("scatter_add", dim, x.dim()), true), x, index, src);
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        checkIndex("index_select", index);
        return Dispatch.apply1(new IndexSelect(Shape.wrapDim("index_select", dim, x.dim())), x, index);
    }

    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) {
        checkIndex("index_add", index);
        return Dispatch.apply1(new IndexAdd(Shape.wrapDim("index_add", dim, x.dim())), x, index, src);
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Dispatch.apply1(new Where(), cond, a, b);
    }

    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill: expected a bool mask, got " + mask.dtype().name());
        }
        if (!Shape.broadcastableTo(mask.shape(), x.shape())) {
            throw new IllegalArgumentException("masked_fill: mask of shape " + Arrays.toString(mask.shape())
                    + " cannot be broadcast to the tensor's shape " + Arrays.toString(x.shape()));
        }
        return where(mask, Tensor.scalar(ScalarConversion.checked("masked_fill", value, x.dtype()), x.dtype()), x).expand(x.shape());
    }
}
