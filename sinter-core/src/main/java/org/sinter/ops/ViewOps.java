package org.sinter.ops;

import java.util.Arrays;
import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.Shape;
import org.sinter.Tensor;

/**
 * Zero-copy views: new shape, strides and offset over the same storage. Each is a {@link ViewOp}
 * record whose geometry is a pure function of the input's geometry; the gradient either maps
 * back cheaply (reshape, permute, expand) or is scattered into zeros through the same geometry
 * ({@link ViewScatter}: slice, select, unfold…).
 */
public final class ViewOps {
    private ViewOps() {}

    /** {@code view}/{@code reshape} without a copy (PyTorch's computeStride rule). */
    public record Reshape(Ints shape) implements ViewOp {
        @Override public String name() { return "view"; }

        @Override public Map<String, Object> attributes() { return Map.of("size", shape.toArray()); }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            int[] ns = shape.toArray();
            int[] nst = viewStrides(sh, st, ns);
            if (nst == null) {
                throw new IllegalArgumentException("view: size " + Arrays.toString(ns) + " is not compatible with input tensor's size "
                        + Arrays.toString(sh) + " and stride " + Arrays.toString(st)
                        + " (at least one dimension spans across two contiguous subspaces); use reshape instead");
            }
            return new Geometry(ns, nst, off);
        }
    }

    public record Permute(Ints dims) implements ViewOp {
        @Override public String name() { return "permute"; }

        @Override public Map<String, Object> attributes() { return Map.of("dims", dims.toArray()); }

        @Override
        public Geometry geometry(int[] s, int[] st, int off) {
            int n = dims.size();
            int[] ns = new int[n], nst = new int[n];
            for (int i = 0; i < n; i++) { ns[i] = s[dims.get(i)]; nst[i] = st[dims.get(i)]; }
            return new Geometry(ns, nst, off);
        }
    }

    public record Transpose(int dim0, int dim1) implements ViewOp {
        @Override public String name() { return "transpose"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim0", dim0, "dim1", dim1); }

        @Override
        public Geometry geometry(int[] s, int[] st, int off) {
            s = s.clone();
            st = st.clone();
            int tmp = s[dim0]; s[dim0] = s[dim1]; s[dim1] = tmp;
            tmp = st[dim0]; st[dim0] = st[dim1]; st[dim1] = tmp;
            return new Geometry(s, st, off);
        }
    }

    public record Expand(Ints shape) implements ViewOp {
        @Override public String name() { return "expand"; }

        @Override public Map<String, Object> attributes() { return Map.of("size", shape.toArray()); }

        @Override
        public Geometry geometry(int[] s, int[] st, int off) {
            int[] out = shape.toArray();
            return new Geometry(out, Shape.broadcastStrides(s, st, out), off);
        }
    }

    /** Elements {@code start, start+step, … < end} of dim (already clamped to the size). */
    public record Slice(int dim, int start, int end, int step) implements ViewOp {
        @Override public String name() { return "slice"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim, "start", start, "end", end, "step", step); }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            sh = sh.clone();
            st = st.clone();
            int len = (end - start + step - 1) / step;
            int o = off + start * st[dim];
            sh[dim] = len;
            st[dim] *= step;
            return new Geometry(sh, st, len == 0 ? off : o);
        }
    }

    public record Select(int dim, int index) implements ViewOp {
        @Override public String name() { return "select"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim, "index", index); }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            int n = sh.length;
            int[] ns = new int[n - 1], nst = new int[n - 1];
            for (int k = 0, j = 0; k < n; k++) if (k != dim) { ns[j] = sh[k]; nst[j++] = st[k]; }
            return new Geometry(ns, nst, off + index * st[dim]);
        }
    }

    /** Drops the listed dims (each of size 1). */
    public record Squeeze(Ints dims) implements ViewOp {
        @Override public String name() { return "squeeze"; }

        @Override public Map<String, Object> attributes() { return Map.of("dims", dims.toArray()); }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            boolean[] drop = new boolean[sh.length];
            for (int d : dims.values()) drop[d] = true;
            int k = sh.length - dims.size();
            int[] ns = new int[k], nst = new int[k];
            for (int i = 0, j = 0; i < sh.length; i++) if (!drop[i]) { ns[j] = sh[i]; nst[j++] = st[i]; }
            return new Geometry(ns, nst, off);
        }
    }

    public record Unsqueeze(int dim) implements ViewOp {
        @Override public String name() { return "unsqueeze"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            int n = sh.length;
            int[] ns = new int[n + 1], nst = new int[n + 1];
            for (int i = 0, j = 0; i < n + 1; i++) {
                if (i == dim) { ns[i] = 1; nst[i] = dim < n ? sh[dim] * st[dim] : 1; }
                else { ns[i] = sh[j]; nst[i] = st[j++]; }
            }
            return new Geometry(ns, nst, off);
        }
    }

    /** Sliding windows of {@code size} every {@code step} along dim, as a new last dim. */
    public record Unfold(int dim, int size, int step) implements ViewOp {
        @Override public String name() { return "unfold"; }

        @Override public Map<String, Object> attributes() { return Map.of("dimension", dim, "size", size, "step", step); }

        @Override public boolean overlapping() { return true; }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            int n = sh.length;
            if (n == 0) return new Geometry(new int[] {size}, new int[] {1}, off);
            int windows = (sh[dim] - size) / step + 1;
            int[] ns = Arrays.copyOf(sh, n + 1), nst = Arrays.copyOf(st, n + 1);
            ns[dim] = windows;
            nst[dim] = st[dim] * step;
            ns[n] = size;
            nst[n] = st[dim];
            return new Geometry(ns, nst, off);
        }
    }

    public record Diagonal(int offset, int dim1, int dim2) implements ViewOp {
        @Override public String name() { return "diagonal"; }

        @Override public Map<String, Object> attributes() { return Map.of("offset", offset, "dim1", dim1, "dim2", dim2); }

        @Override
        public Geometry geometry(int[] s, int[] st, int off) {
            int n = s.length, a = dim1, b = dim2;
            int len = offset >= 0 ? Math.max(0, Math.min(s[a], s[b] - offset)) : Math.max(0, Math.min(s[a] + offset, s[b]));
            if (len > 0) off += offset >= 0 ? offset * st[b] : -offset * st[a];
            int[] ns = new int[n - 1], nst = new int[n - 1];
            int k = 0;
            for (int i = 0; i < n; i++) if (i != a && i != b) { ns[k] = s[i]; nst[k++] = st[i]; }
            ns[k] = len;
            nst[k] = st[a] + st[b];
            return new Geometry(ns, nst, off);
        }
    }

    /** An explicit geometry; {@code offsetDelta} is relative to the input's own offset. */
    public record AsStrided(Ints size, Ints stride, int offsetDelta) implements ViewOp {
        @Override public String name() { return "as_strided"; }

        @Override
        public Map<String, Object> attributes() {
            return Map.of("size", size.toArray(), "stride", stride.toArray(), "storage_offset_delta", offsetDelta);
        }

        @Override public boolean overlapping() { return true; }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            return new Geometry(size.toArray(), stride.toArray(), off + offsetDelta);
        }
    }

    /** The same geometry under a new tensor object (PyTorch's alias; detach uses it). */
    public record Alias() implements ViewOp {
        @Override public String name() { return "alias"; }

        @Override
        public Geometry geometry(int[] sh, int[] st, int off) {
            return new Geometry(sh.clone(), st.clone(), off);
        }
    }

    /** The gradient of a view: zeros of the input's shape with the gradient written through the view. */
    public record ViewScatter(ViewOp view, Ints inputShape) implements Op {
        @Override public String name() { return view.name() + "_backward"; }

        @Override public Map<String, Object> attributes() { return view.attributes(); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(inputShape.toArray(), in[0].dtype());
        }
    }

    private static Tensor view(ViewOp op, Tensor x) {
        return Dispatch.apply1(op, x);
    }

    /** Strides for viewing (shape, strides) as newShape without a copy, or null (PyTorch's computeStride). */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int numel = Shape.numel(shape);
        int[] out = new int[newShape.length];
        if (numel == 0 || shape.length == 0) return Shape.contiguousStrides(newShape);
        int viewD = newShape.length - 1;
        long chunkBase = strides.length > 0 ? strides[strides.length - 1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return out;
    }

    public static Tensor view(Tensor x, int[] newShape) {
        int[] shape = Shape.inferSize("view", newShape, x.numel());
        return view(new Reshape(Ints.of(shape)), x);
    }

    public static Tensor reshape(Tensor x, int[] newShape) {
        int[] shape = Shape.inferSize("reshape", newShape, x.numel());
        if (viewStrides(x.shape(), x.stride(), shape) == null) return view(ShapeOps.clone(x), shape);
        return view(x, shape);
    }

    public static Tensor permute(Tensor x, int[] dims) {
        int n = x.dim();
        if (dims.length != n) {
            throw new IllegalArgumentException("permute: number of dims don't match: input has " + n + " dims "
                    + Arrays.toString(x.shape()) + ", got " + Arrays.toString(dims));
        }
        int[] p = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = Shape.wrapDim("permute", dims[i], n);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: repeated dim " + p[i] + " in " + Arrays.toString(dims));
            seen[p[i]] = true;
        }
        return view(new Permute(Ints.of(p)), x);
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int n = x.dim();
        if (n == 0) { Shape.wrapDim("transpose", d0, 0); Shape.wrapDim("transpose", d1, 0); return x; }
        return view(new Transpose(Shape.wrapDim("transpose", d0, n), Shape.wrapDim("transpose", d1, n)), x);
    }

    public static Tensor movedim(Tensor x, int source, int destination) {
        int n = x.dim();
        int s = Shape.wrapDim("movedim", source, n), d = Shape.wrapDim("movedim", destination, n);
        int[] order = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (i != s) order[k++] = i;
        int[] perm = new int[n];
        for (int i = 0, j = 0; i < n; i++) perm[i] = i == d ? s : order[j++];
        return permute(x, perm);
    }

    public static Tensor expand(Tensor x, int[] sizes) {
        int n = sizes.length, xd = x.dim();
        if (n < xd) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + n + ") must be greater or equal to the "
                    + "number of dimensions in the tensor (" + xd + ")");
        }
        int[] xs = x.shape();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i - (n - xd);
            int cur = j >= 0 ? xs[j] : 1;
            int want = sizes[i] == -1 && j >= 0 ? cur : sizes[i];
            if (want < 0 || (cur != 1 && cur != want)) {
                throw new IllegalArgumentException("expand: the expanded size of the tensor (" + sizes[i] + ") must match the existing size ("
                        + cur + ") at non-singleton dimension " + i + ".  Target sizes: " + Arrays.toString(sizes)
                        + ".  Tensor sizes: " + Arrays.toString(xs));
            }
            out[i] = want;
        }
        return view(new Expand(Ints.of(out)), x);
    }

    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int n = x.dim();
        if (n == 0) throw new IllegalArgumentException("slice: cannot be applied to a 0-dim tensor");
        int d = Shape.wrapDim("slice", dim, n);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int size = x.shape()[d];
        int s = start < 0 ? start + size : start, e = end < 0 ? end + size : end;
        s = Math.max(0, Math.min(s, size));
        e = Math.max(s, Math.min(e, size));
        return view(new Slice(d, s, e, step), x);
    }

    /** {@code length} elements of dim from {@code start} (negative counts from the end); unlike slice, never clamped. */
    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        if (x.dim() == 0) throw new IllegalArgumentException("narrow: cannot be applied to a 0-dim tensor");
        int d = Shape.wrapDim("narrow", dim, x.dim());
        int size = x.shape()[d];
        if (start < -size || start > size) {
            throw new IndexOutOfBoundsException("narrow: start out of range (expected to be in range of [" + (-size) + ", " + size
                    + "], but got " + start + ")");
        }
        if (length < 0) throw new IllegalArgumentException("narrow: length must be non-negative, got " + length);
        int s = start < 0 ? start + size : start;
        if ((long) s + length > size) {
            throw new IndexOutOfBoundsException("narrow: start (" + start + ") + length (" + length + ") exceeds dimension size ("
                    + size + ") of dimension " + d + " of " + x.describe());
        }
        return view(new Slice(d, s, s + length, 1), x);
    }

    public static Tensor select(Tensor x, int dim, int index) {
        int n = x.dim();
        if (n == 0) throw new IllegalArgumentException("select: cannot be applied to a 0-dim tensor");
        int d = Shape.wrapDim("select", dim, n);
        int size = x.shape()[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for tensor of size "
                    + Arrays.toString(x.shape()) + " at dimension " + d);
        }
        return view(new Select(d, index < 0 ? index + size : index), x);
    }

    public static Tensor squeeze(Tensor x, int[] dims) {
        int n = x.dim();
        int[] sh = x.shape();
        boolean[] drop = new boolean[n];
        if (dims == null) {
            for (int i = 0; i < n; i++) drop[i] = sh[i] == 1;
        } else {
            for (int dd : dims) {
                int d = Shape.wrapDim("squeeze", dd, n);
                if (n > 0) drop[d] = sh[d] == 1;
            }
        }
        return view(new Squeeze(Ints.of(ReduceOps.dimsOf(drop))), x);
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        return view(new Unsqueeze(Shape.wrapDim("unsqueeze", dim, x.dim() + 1)), x);
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        int n = x.dim();
        if (n == 0) return reshape(x, new int[] {1});
        int s = Shape.wrapDim("flatten", startDim, n), e = Shape.wrapDim("flatten", endDim, n);
        if (s > e) throw new IllegalArgumentException("flatten: start_dim " + s + " cannot come after end_dim " + e);
        if (s == e) return x;
        int[] sh = x.shape();
        int[] ns = new int[n - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) ns[k++] = sh[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= sh[i];
        ns[k++] = prod;
        for (int i = e + 1; i < n; i++) ns[k++] = sh[i];
        return reshape(x, ns);
    }

    public static Tensor unflatten(Tensor x, int dim, int[] sizes) {
        int n = x.dim();
        int d = Shape.wrapDim("unflatten", dim, n);
        int[] sh = x.shape();
        int[] inner = Shape.inferSize("unflatten", sizes, sh[d]);
        int[] ns = new int[n - 1 + inner.length];
        int k = 0;
        for (int i = 0; i < d; i++) ns[k++] = sh[i];
        for (int v : inner) ns[k++] = v;
        for (int i = d + 1; i < n; i++) ns[k++] = sh[i];
        return reshape(x, ns);
    }

    public static Tensor unfold(Tensor x, int dim, int size, int step) {
        int n = x.dim();
        int d = Shape.wrapDim("unfold", dim, n);
        int len = n == 0 ? 1 : x.shape()[d];
        if (size > len || size < 0) {
            throw new IllegalArgumentException("unfold: maximum size for tensor at dimension " + d + " is " + len + " but size is " + size);
        }
        if (step <= 0) throw new IllegalArgumentException("unfold: step is " + step + " but must be > 0");
        return view(new Unfold(d, size, step), x);
    }

    public static Tensor diagonal(Tensor x, int offset, int dim1, int dim2) {
        int n = x.dim();
        int a = Shape.wrapDim("diagonal", dim1, n), b = Shape.wrapDim("diagonal", dim2, n);
        if (a == b) throw new IllegalArgumentException("diagonal: dimensions cannot be identical " + dim1 + ", " + dim2);
        return view(new Diagonal(offset, a, b), x);
    }

    public static Tensor asStrided(Tensor x, int[] shape, int[] strides, int storageOffset) {
        for (int st : strides) {
            if (st < 0) throw new IllegalArgumentException("asStrided: negative strides are not supported, got " + Arrays.toString(strides));
        }
        Shape.checkGeometry("asStrided", shape, strides, storageOffset, x.storage().length());
        return view(new AsStrided(Ints.of(shape), Ints.of(strides), storageOffset - x.storageOffset()), x);
    }

    /** A view of x with the same geometry (a new tensor object over the same storage). */
    public static Tensor alias(Tensor x) {
        return view(new Alias(), x);
    }
}
