package org.sinter.backend.cpu;

import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.ViewOp;
import org.sinter.ops.ViewOps;

/** CPU execution of the structural ops: copies, fills, concatenation, padding, flips, triangles, view gradients. */
final class CpuShapes {
    private CpuShapes() {}

    static Tensor viewScatter(ViewOps.ViewScatter op, Tensor g) {
        Tensor z = Tensor.zeros(g.dtype(), op.inputShape().toArray());
        ViewOp.Geometry geo = op.view().geometry(z.shape(), z.stride(), z.storageOffset());
        Tensor target = Tensor.viewOf(z, geo.shape(), geo.strides(), geo.offset());
        if (op.view().overlapping()) Copy.addIntoSerial(target, g);
        else Copy.copyInto(target, g);
        return z;
    }

    static Tensor clone(Tensor x) {
        Tensor out = Tensor.empty(x.dtype(), x.shape());
        Copy.copyInto(out, x);
        return out;
    }

    static Tensor cat(ShapeOps.Cat op, Tensor out, Tensor[] xs) {
        int d = op.dim(), off = 0;
        for (Tensor x : xs) {
            int size = x.shape()[d];
            if (size > 0) Copy.copyInto(Views.slice0(out, d, off, size), x);
            off += size;
        }
        return out;
    }

    static Tensor constantPad(ShapeOps.ConstantPad op, Tensor x, int[] outShape) {
        Tensor out = Tensor.full(op.value(), x.dtype(), outShape);
        Tensor target = out;
        int n = x.dim();
        int[] inShape = x.shape();
        for (int p = 0; p < op.pad().size() / 2; p++) target = Views.slice0(target, n - 1 - p, op.pad().get(2 * p), inShape[n - 1 - p]);
        Copy.copyInto(target, x);
        return out;
    }

    static Tensor flip(ShapeOps.Flip op, Tensor t) {
        int[] sh = t.shape(), st = t.stride();
        int off = t.storageOffset();
        for (int d : op.dims().values()) {
            if (sh[d] > 0) {
                off += (sh[d] - 1) * st[d];
                st[d] = -st[d];
            }
        }
        Tensor out = Tensor.empty(t.dtype(), sh);
        Copy.copyInto(out, Tensor.viewOf(t, sh, st, off));
        return out;
    }

    static Tensor tri(ShapeOps.Tri op, Tensor t) {
        Tensor out = clone(t);
        int[] sh = out.shape();
        int rows = sh[sh.length - 2], cols = sh[sh.length - 1], k = op.diagonal();
        int mats = rows * cols == 0 ? 0 : Shape.numel(out) / (rows * cols);
        for (int b = 0; b < mats; b++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) {
                    boolean keep = op.lower() ? j - i <= k : j - i >= k;
                    if (!keep) out.storage().setDouble(b * rows * cols + i * cols + j, 0);
                }
        return out;
    }
}
