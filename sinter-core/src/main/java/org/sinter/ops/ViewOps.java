package org.sinter.ops;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Shape;
import org.sinter.Tensor;

/**
 * Zero-copy views: new shape, strides and offset over the same storage. Each is a {@link ViewOp}
 * whose geometry is a function of the input; the gradient either maps back cheaply (reshape,
 * permute, expand) or is scattered into zeros through the same geometry (slice, select, unfold…).
 */
public final class ViewOps {
    private ViewOps() {}

    /** A view op: name, attributes, the geometry, and how the gradient flows back. */
    static final class ViewOp extends Op {
        final String name;
        final Map<String, Object> attrs;
        final UnaryOperator<Tensor> geometry;
        /** Maps the output gradient straight back (null: scatter through the geometry). */
        final UnaryOperator<Tensor> inverse;
        final boolean overlapping;

        ViewOp(String name, Map<String, Object> attrs, UnaryOperator<Tensor> geometry, UnaryOperator<Tensor> inverse, boolean overlapping) {
            this.name = name;
            this.attrs = attrs;
            this.geometry = geometry;
            this.inverse = inverse;
            this.overlapping = overlapping;
        }

        @Override public String name() { return name; }

        @Override public Map<String, Object> attributes() { return attrs; }

        @Override public boolean isView() { return true; }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            return new Tensor[] {geometry.apply(in[0])};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            if (inverse != null) return new Tensor[] {inverse.apply(g[0])};
            return new Tensor[] {Dispatch.apply1(new ViewScatter(this, ctx.inputShape(0)), g[0])};
        }
    }

    /** The gradient of a view: zeros of the input's shape with the gradient written through the view. */
    static final class ViewScatter extends Op {
        final ViewOp view;
        final int[] inputShape;

        ViewScatter(ViewOp view, int[] inputShape) {
            this.view = view;
            this.inputShape = inputShape;
        }

        @Override public String name() { return view.name + "_backward"; }

        @Override public Map<String, Object> attributes() { return view.attrs; }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor z = Tensor.zeros(in[0].dtype(), inputShape);
            Tensor target = view.geometry.apply(z);
            if (view.overlapping) Copy.addIntoSerial(target, in[0]);
            else Copy.copyInto(target, in[0]);
            return new Tensor[] {z};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            return new Tensor[] {Dispatch.apply1(view, g[0])};
        }
    }

    private static Tensor view(String name, Map<String, Object> attrs, Tensor x, UnaryOperator<Tensor> geometry, UnaryOperator<Tensor> inverse) {
        return Dispatch.apply1(new ViewOp(name, attrs, geometry, inverse, false), x);
    }

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
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
        int[] st = viewStrides(x.shape(), x.stride(), shape);
        if (st == null) {
            throw new IllegalArgumentException("view: size " + Arrays.toString(shape) + " is not compatible with input tensor's size "
                    + Arrays.toString(x.shape()) + " and stride " + Arrays.toString(x.stride())
                    + " (at least one dimension spans across two contiguous subspaces); use reshape instead");
        }
        int[] inShape = x.shape();
        return view("view", attrs("size", shape), x, t -> Tensor.viewOf(t, shape, st, t.storageOffset()), g -> g.reshape(inShape));
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
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) inv[p[i]] = i;
        return view("permute", attrs("dims", p), x, t -> {
            int[] s = t.shape(), st = t.stride(), ns = new int[n], nst = new int[n];
            for (int i = 0; i < n; i++) { ns[i] = s[p[i]]; nst[i] = st[p[i]]; }
            return Tensor.viewOf(t, ns, nst, t.storageOffset());
        }, g -> g.permute(inv));
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int n = x.dim();
        if (n == 0) { Shape.wrapDim("transpose", d0, 0); Shape.wrapDim("transpose", d1, 0); return x; }
        int a = Shape.wrapDim("transpose", d0, n), b = Shape.wrapDim("transpose", d1, n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        p[a] = b;
        p[b] = a;
        return view("transpose", attrs("dim0", a, "dim1", b), x, t -> {
            int[] s = t.shape(), st = t.stride();
            int tmp = s[a]; s[a] = s[b]; s[b] = tmp;
            tmp = st[a]; st[a] = st[b]; st[b] = tmp;
            return Tensor.viewOf(t, s, st, t.storageOffset());
        }, g -> g.transpose(a, b));
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
        return view("expand", attrs("size", out), x,
                t -> Tensor.viewOf(t, out, Shape.broadcastStrides(t.shape(), t.stride(), out), t.storageOffset()), g -> g);
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
        int len = (e - s + step - 1) / step;
        int fs = s;
        return Dispatch.apply1(new ViewOp("slice", attrs("dim", d, "start", s, "end", e, "step", step), t -> {
            int[] sh = t.shape(), st = t.stride();
            int off = t.storageOffset() + fs * st[d];
            sh[d] = len;
            st[d] *= step;
            return Tensor.viewOf(t, sh, st, len == 0 ? t.storageOffset() : off);
        }, null, false), x);
    }

    /** A raw slice view with step 1 (no autograd; for forward bodies writing into parts of an output). */
    static Tensor slice0(Tensor t, int d, int start, int length) {
        int[] sh = t.shape(), st = t.stride();
        sh[d] = length;
        return Tensor.viewOf(t, sh, st, t.storageOffset() + start * st[d]);
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
        int i = index < 0 ? index + size : index;
        return Dispatch.apply1(new ViewOp("select", attrs("dim", d, "index", i), t -> {
            int[] sh = t.shape(), st = t.stride();
            int[] ns = new int[n - 1], nst = new int[n - 1];
            for (int k = 0, j = 0; k < n; k++) if (k != d) { ns[j] = sh[k]; nst[j++] = st[k]; }
            return Tensor.viewOf(t, ns, nst, t.storageOffset() + i * st[d]);
        }, null, false), x);
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
        int k = 0;
        for (boolean b : drop) if (!b) k++;
        int[] ns = new int[k];
        for (int i = 0, j = 0; i < n; i++) if (!drop[i]) ns[j++] = sh[i];
        int[] inShape = sh;
        return view("squeeze", attrs("dims", dims == null ? "all" : dims), x, t -> {
            int[] st = t.stride(), nst = new int[ns.length];
            for (int i = 0, j = 0; i < n; i++) if (!drop[i]) nst[j++] = st[i];
            return Tensor.viewOf(t, ns.clone(), nst, t.storageOffset());
        }, g -> g.reshape(inShape));
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int n = x.dim();
        int d = Shape.wrapDim("unsqueeze", dim, n + 1);
        int[] inShape = x.shape();
        return view("unsqueeze", attrs("dim", d), x, t -> {
            int[] sh = t.shape(), st = t.stride();
            int[] ns = new int[n + 1], nst = new int[n + 1];
            for (int i = 0, j = 0; i < n + 1; i++) {
                if (i == d) { ns[i] = 1; nst[i] = d < n ? sh[d] * st[d] : 1; }
                else { ns[i] = sh[j]; nst[i] = st[j++]; }
            }
            return Tensor.viewOf(t, ns, nst, t.storageOffset());
        }, g -> g.reshape(inShape));
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
        int windows = (len - size) / step + 1;
        return Dispatch.apply1(new ViewOp("unfold", attrs("dimension", d, "size", size, "step", step), t -> {
            int[] sh = t.shape(), st = t.stride();
            if (n == 0) return Tensor.viewOf(t, new int[] {size}, new int[] {1}, t.storageOffset());
            int[] ns = Arrays.copyOf(sh, n + 1), nst = Arrays.copyOf(st, n + 1);
            ns[d] = windows;
            nst[d] = st[d] * step;
            ns[n] = size;
            nst[n] = st[d];
            return Tensor.viewOf(t, ns, nst, t.storageOffset());
        }, null, true), x);
    }

    public static Tensor diagonal(Tensor x, int offset, int dim1, int dim2) {
        int n = x.dim();
        int a = Shape.wrapDim("diagonal", dim1, n), b = Shape.wrapDim("diagonal", dim2, n);
        if (a == b) throw new IllegalArgumentException("diagonal: dimensions cannot be identical " + dim1 + ", " + dim2);
        int[] sh = x.shape();
        int len = offset >= 0 ? Math.max(0, Math.min(sh[a], sh[b] - offset)) : Math.max(0, Math.min(sh[a] + offset, sh[b]));
        return Dispatch.apply1(new ViewOp("diagonal", attrs("offset", offset, "dim1", a, "dim2", b), t -> {
            int[] s = t.shape(), st = t.stride();
            int off = t.storageOffset();
            if (len > 0) off += offset >= 0 ? offset * st[b] : -offset * st[a];
            int[] ns = new int[n - 1], nst = new int[n - 1];
            int k = 0;
            for (int i = 0; i < n; i++) if (i != a && i != b) { ns[k] = s[i]; nst[k++] = st[i]; }
            ns[k] = len;
            nst[k] = st[a] + st[b];
            return Tensor.viewOf(t, ns, nst, off);
        }, null, false), x);
    }

    public static Tensor asStrided(Tensor x, int[] shape, int[] strides, int storageOffset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("asStrided: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in length");
        }
        long maxIndex = storageOffset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || strides[i] < 0) throw new IllegalArgumentException("asStrided: negative size or stride");
            if (shape[i] == 0) { maxIndex = -1; break; }
            maxIndex += (long) (shape[i] - 1) * strides[i];
        }
        if (maxIndex >= x.storage().length()) {
            throw new IllegalArgumentException("asStrided: shape " + Arrays.toString(shape) + " with strides " + Arrays.toString(strides)
                    + " and offset " + storageOffset + " reads past the storage of " + x.storage().length() + " elements");
        }
        int[] sh = shape.clone(), st = strides.clone();
        int delta = storageOffset - x.storageOffset();
        return Dispatch.apply1(new ViewOp("as_strided", attrs("size", sh, "stride", st, "storage_offset", storageOffset),
                t -> Tensor.viewOf(t, sh.clone(), st.clone(), t.storageOffset() + delta), null, true), x);
    }
}
