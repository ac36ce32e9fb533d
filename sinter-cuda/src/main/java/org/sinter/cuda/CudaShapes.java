package org.sinter.cuda;

import org.sinter.Tensor;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.ViewOp;
import org.sinter.ops.ViewOps;

/** Concatenation and constant padding as copies into views of the output (no kernels of their own). */
final class CudaShapes {
    private CudaShapes() {}

    static Tensor cat(ShapeOps.Cat op, Tensor out, Tensor[] in) {
        int dim = op.dim() < 0 ? op.dim() + out.dim() : op.dim();
        int at = 0;
        for (Tensor t : in) {
            if (t.numel() == 0 && t.dim() == 1 && out.dim() != 1) continue; // PyTorch skips legacy empty [0] tensors
            int len = t.size(dim);
            if (len > 0) PointwiseOps.copy(out.narrow(dim, at, len), t);
            at += len;
        }
        return out;
    }

    /**
     * The gradient of a view: zeros of the base's shape with the gradient written through the
     * view's geometry. Null for overlapping views (expand, unfold), whose elements add up: the host does those.
     */
    static Tensor viewScatter(ViewOps.ViewScatter op, Tensor g) {
        if (op.view().overlapping()) return null;
        Tensor z = CudaBackend.empty(g.dtype(), g, op.inputShape().toArray()); // zero-filled
        ViewOp.Geometry geo = op.view().geometry(z.shape(), z.stride(), z.storageOffset());
        Tensor target = Tensor.viewOf(z, geo.shape(), geo.strides(), geo.offset());
        if (g.numel() > 0) PointwiseOps.copy(target, g);
        return z;
    }

    /** Null when a pad is negative (cropping): the host does those. */
    static Tensor constantPad(ShapeOps.ConstantPad op, Tensor out, Tensor x) {
        int[] pad = op.pad().toArray();
        for (int p : pad) if (p < 0) return null;
        PointwiseOps.fill(out, op.value());
        Tensor inner = out;
        for (int p = 0; p < pad.length / 2; p++) {
            int d = out.dim() - 1 - p;
            inner = inner.narrow(d, pad[2 * p], x.size(d));
        }
        if (x.numel() > 0) PointwiseOps.copy(inner, x);
        return out;
    }
}
