package org.sinter.backend.cpu;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Storage;
import org.sinter.Tensor;
import org.sinter.ops.IndexOps;
import org.sinter.ops.TypePromotion;

/** CPU kernels of the indexing ops: gather, scatter(_add), index_select, index_add, where. */
final class CpuIndexing {
    private CpuIndexing() {}

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

    static Tensor[] gather(IndexOps.Gather op, Tensor... in) {
        Tensor x = in[0], index = in[1];
        Tensor out = Tensor.empty(x.dtype(), index.shape());
        int bound = x.dim() == 0 ? 1 : x.shape()[op.dim()];
        int dstride = x.dim() == 0 ? 0 : x.stride()[op.dim()];
        Storage xs = x.storage(), is = index.storage(), os = out.storage();
        walk(index, op.dim(), new Tensor[] {x, out}, new boolean[] {true, false}, (io, ist, offs, inner, n) -> {
            for (int e = 0; e < n; e++) {
                int i = IndexBounds.at("gather", is, io + e * ist, op.dim(), bound);
                copyElem(xs, offs[0] + e * inner[0] + i * dstride, os, offs[1] + e * inner[1]);
            }
        });
        return new Tensor[] {out};
    }

    static Tensor[] scatter(IndexOps.Scatter op, Tensor... in) {
        Tensor x = in[0], index = in[1], src = Copy.dense(in[2], in[0].dtype());
        Tensor out = Tensor.empty(x.dtype(), x.shape());
        Copy.copyInto(out, x);
        int bound = x.dim() == 0 ? 1 : x.shape()[op.dim()];
        int dstride = x.dim() == 0 ? 0 : out.stride()[op.dim()];
        Storage os = out.storage(), is = index.storage(), ss = src.storage();
        walk(index, op.dim(), new Tensor[] {out, src}, new boolean[] {true, false}, (io, ist, offs, inner, n) -> {
            for (int e = 0; e < n; e++) {
                int i = IndexBounds.at(op.name(), is, io + e * ist, op.dim(), bound);
                int dp = offs[0] + e * inner[0] + i * dstride;
                int sp = offs[1] + e * inner[1];
                if (op.add()) addElem(ss, sp, os, dp);
                else copyElem(ss, sp, os, dp);
            }
        });
        return new Tensor[] {out};
    }

    static Tensor[] indexSelect(IndexOps.IndexSelect op, Tensor... in) {
        Tensor x = in[0], index = in[1];
        int dim = op.dim();
        if (x.dim() == 0) {
            // A 0-d tensor indexes as a 1-element dimension 0.
            IndexBounds.values("index_select", index, 0, 1);
            return new Tensor[] {Copy.dense(x.reshape(1).expand(Shape.numel(index)), x.dtype()).reshape(index.shape())};
        }
        int[] sh = x.shape();
        int[] iv = IndexBounds.values("index_select", index, dim, sh[dim]);
        sh[dim] = iv.length;
        Tensor out = Tensor.empty(x.dtype(), sh);
        if (dim == 0 && x.isContiguous()) {
            // Rows of a dense table (an imported model's embedding Gather): one array copy each,
            // not a view and a strided copy each (64 rows of 128 took 30-70 us that way).
            int row = 1;
            for (int d = 1; d < sh.length; d++) row *= sh[d];
            Object src = x.storage().array(), dst = out.storage().array();
            for (int i = 0; i < iv.length; i++) System.arraycopy(src, x.storageOffset() + iv[i] * row, dst, i * row, row);
            return new Tensor[] {out};
        }
        for (int i = 0; i < iv.length; i++) Copy.copyInto(Views.slice0(out, dim, i, 1), Views.slice0(x, dim, iv[i], 1));
        return new Tensor[] {out};
    }

    static Tensor[] indexAdd(IndexOps.IndexAdd op, Tensor... in) {
        int d = op.dim();
        Tensor out = Tensor.empty(in[0].dtype(), in[0].shape());
        Copy.copyInto(out, in[0]);
        if (out.dim() == 0) {
            IndexBounds.values("index_add", in[1], 0, 1);
            for (int i = 0; i < in[1].numel(); i++) Copy.addIntoSerial(out, in[2].reshape(-1).narrow(0, i, 1).reshape());
            return new Tensor[] {out};
        }
        int[] iv = IndexBounds.values("index_add", in[1], d, out.shape()[d]);
        Tensor s = Copy.dense(in[2], out.dtype());
        for (int i = 0; i < iv.length; i++) Copy.addIntoSerial(Views.slice0(out, d, iv[i], 1), Views.slice0(s, d, i, 1));
        return new Tensor[] {out};
    }

    static Tensor[] where(IndexOps.Where op, Tensor... in) {
        DType rt = TypePromotion.resultType(in[1], in[2]);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", in[0].shape(), in[1].shape()), in[2].shape());
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
}
