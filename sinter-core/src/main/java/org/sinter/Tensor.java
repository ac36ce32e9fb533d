package org.sinter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.CompareOps;
import org.sinter.backend.cpu.Copy;
import org.sinter.ops.IndexOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOps;

/**
 * An n-dimensional array on the Java heap with PyTorch's semantics: dtypes and type promotion,
 * strided zero-copy views, NumPy broadcasting, and reverse-mode automatic differentiation.
 *
 * <p>Method names follow PyTorch in camelCase ({@code logSoftmax}, {@code maskedFill},
 * {@code add_} for the in-place form). Every operation goes through {@link Dispatch}, so it can be
 * recorded as a node (op, inputs, attributes) for autograd, tracing and profiling.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 4).requiresGrad(true);
 * Tensor loss = Tensor.randn(8, 3).matmul(w).relu().sum();
 * loss.backward();
 * w.grad();   // d loss / d w, shape [3, 4]
 * }</pre>
 */
public final class Tensor {
    // Not final: setData() re-points a leaf (a module parameter) at new data, like PyTorch's p.data = x.
    Storage storage;
    int[] shape;
    int[] strides;
    int offset;
    DType dtype;

    // Autograd metadata; mutable because in-place ops re-base a tensor onto a new node.
    boolean requiresGrad;
    Tensor grad;
    Node gradFn;
    int outputNr;
    private AccumulateGrad accumulator;
    /** The tensor whose storage this view shares (null when not a view). */
    Tensor viewBase;
    private boolean retainsGrad;
    private String name;
    /** A Java number operand: promotes like a Python scalar (it never decides the category alone). */
    private boolean wrappedNumber;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = storage.dtype;
    }

    // ------------------------------------------------------------------ creation

    /** An uninitialized (zero-filled) contiguous tensor. */
    public static Tensor empty(DType dtype, int... shape) {
        Shape.checkShape("empty", shape);
        int[] s = shape.clone();
        return new Tensor(new Storage(dtype, Shape.numel(s)), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor empty(int... shape) {
        return empty(DType.FLOAT32, shape);
    }

    /** An uninitialized tensor on {@code device} ({@link Device#META}: shape and dtype only). */
    public static Tensor empty(DType dtype, Device device, int... shape) {
        Shape.checkShape("empty", shape);
        int[] s = shape.clone();
        return new Tensor(new Storage(dtype, device, Shape.numel(s)), s, Shape.contiguousStrides(s), 0);
    }

    /**
     * A view of {@code base}'s storage with the given geometry, outside autograd. Low level: ops use
     * it inside their forward; users want {@link #asStrided}.
     */
    public static Tensor viewOf(Tensor base, int[] shape, int[] strides, int offset) {
        Shape.checkGeometry("viewOf", shape, strides, offset, base.storage.length);
        return new Tensor(base.storage, shape, strides, offset);
    }

    /** A float32 tensor holding a copy of {@code data} with the given shape (1-D when no shape). */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shapeFor("of", data.length, shape);
        return new Tensor(new Storage(DType.FLOAT32, data.clone(), data.length), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor of(double[] data, int... shape) {
        int[] s = shapeFor("of", data.length, shape);
        return new Tensor(new Storage(DType.FLOAT64, data.clone(), data.length), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor of(int[] data, int... shape) {
        int[] s = shapeFor("of", data.length, shape);
        return new Tensor(new Storage(DType.INT32, data.clone(), data.length), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor of(long[] data, int... shape) {
        int[] s = shapeFor("of", data.length, shape);
        return new Tensor(new Storage(DType.INT64, data.clone(), data.length), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor of(boolean[] data, int... shape) {
        int[] s = shapeFor("of", data.length, shape);
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (data[i] ? 1 : 0);
        return new Tensor(new Storage(DType.BOOL, b, b.length), s, Shape.contiguousStrides(s), 0);
    }

    private static int[] shapeFor(String op, int length, int[] shape) {
        if (shape.length == 0) return new int[] {length};
        Shape.checkShape(op, shape);
        if (Shape.numel(shape) != length) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /**
     * A Java number as an operand of a binary op: a 0-d tensor that takes part in type promotion
     * like a Python scalar in PyTorch ({@code intTensor.add(2.5)} is float32, {@code .add(2)} stays int).
     */
    public static Tensor wrappedScalar(double value) {
        Tensor t = scalar(value, DType.FLOAT64);
        t.wrappedNumber = true;
        return t;
    }

    public static Tensor wrappedScalar(long value) {
        Tensor t = empty(DType.INT64);
        t.storage.setLong(0, value);
        t.wrappedNumber = true;
        return t;
    }

    /** Whether this is a wrapped Java number (see {@link #wrappedScalar(double)}). */
    public boolean isWrappedNumber() { return wrappedNumber; }

    /** A 0-d float32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(value, DType.FLOAT32);
    }

    /** A 0-d tensor of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        Tensor t = empty(dtype);
        t.storage.setDouble(0, ScalarConversion.checked("scalar_tensor", value, dtype));
        return t;
    }

    public static Tensor zeros(int... shape) { return empty(DType.FLOAT32, shape); }

    public static Tensor zeros(DType dtype, int... shape) { return empty(dtype, shape); }

    /** Zeros of {@code dtype} on {@code device}. */
    public static Tensor zeros(DType dtype, Device device, int... shape) { return empty(dtype, device, shape); }

    public static Tensor ones(int... shape) { return full(1, shape); }

    public static Tensor ones(DType dtype, int... shape) { return full(1, dtype, shape); }

    public static Tensor full(double value, int... shape) { return full(value, DType.FLOAT32, shape); }

    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = empty(dtype, shape);
        Copy.fill(t, ScalarConversion.checked("full", value, dtype));
        return t;
    }

    /** Zeros of t's shape and dtype, on t's device. */
    public static Tensor zerosLike(Tensor t) { return empty(t.dtype, t.device(), t.shape); }

    public static Tensor onesLike(Tensor t) { return fullLike(t, 1); }

    /** {@code value} in t's shape and dtype, on t's device. */
    public static Tensor fullLike(Tensor t, double value) {
        ScalarConversion.checked("full_like", value, t.dtype);
        if (t.device().type() != Device.Type.CPU) return empty(t.dtype, t.device(), t.shape).fill_(value);
        return full(value, t.dtype, t.shape);
    }

    public static Tensor randLike(Tensor t) { return rand(t.dtype, t.shape); }

    public static Tensor randnLike(Tensor t) { return randn(t.dtype, t.shape); }

    /** Uniform samples in [0, 1) from the global generator ({@link Sinter#manualSeed}). */
    public static Tensor rand(int... shape) { return rand(DType.FLOAT32, shape); }

    public static Tensor rand(DType dtype, int... shape) { return Generator.global().rand(dtype, shape); }

    /** Standard normal samples from the global generator. */
    public static Tensor randn(int... shape) { return randn(DType.FLOAT32, shape); }

    public static Tensor randn(DType dtype, int... shape) { return Generator.global().randn(dtype, shape); }

    /** Integers uniform in [low, high), int64. */
    public static Tensor randint(long low, long high, int... shape) { return Generator.global().randint(low, high, shape); }

    /** A random permutation of 0..n-1, int64. */
    public static Tensor randperm(int n) { return Generator.global().randperm(n); }

    /** 0, 1, …, end-1 as int64. */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    /** start, start+step, … up to (excluding) end, as int64. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        // end - start may overflow a long: size it in double first, count exactly only when it fits.
        double approx = Math.ceil(((double) end - start) / step);
        long n = approx <= 0 ? 0 : approx > Shape.MAX_ELEMENTS ? Long.MAX_VALUE : Math.ceilDiv(end - start, step);
        Tensor t = empty(DType.INT64, Shape.checkElements("arange(" + start + ", " + end + ", " + step + ")", n));
        for (int i = 0; i < n; i++) t.storage.setLong(i, start + i * step);
        return t;
    }

    /** start, start+step, … up to (excluding) end, as float32 (PyTorch's float arange). */
    public static Tensor arange(double start, double end, double step) {
        return arange(start, end, step, DType.FLOAT32);
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        // Integer dtypes count in int64, as PyTorch does: start, end and step must fit a long, and
        // a step that truncates to 0 (0.5) is no step. The length still comes from the doubles.
        boolean integral = dtype.isIntegral();
        double s = integral ? (long) ScalarConversion.checked("arange", start, DType.INT64) : start;
        double e = integral ? (long) ScalarConversion.checked("arange", end, DType.INT64) : end;
        double st = integral ? (long) ScalarConversion.checked("arange", step, DType.INT64) : step;
        if (st == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if (!Double.isFinite(s) || !Double.isFinite(e)) throw new IllegalArgumentException("arange: unsupported range: " + start + " -> " + end);
        if (!(st > 0 && e >= s || st < 0 && e <= s)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign (start=" + start
                    + ", end=" + end + ", step=" + step + ")");
        }
        double count = dtype == DType.INT64 ? Math.ceil((e - s) / st) : Math.ceil((end - start) / step);
        int n = Shape.checkElements("arange(" + start + ", " + end + ", " + step + ")", count > Long.MAX_VALUE ? Long.MAX_VALUE : (long) count);
        Tensor t = empty(dtype, n);
        for (int i = 0; i < n; i++) {
            if (integral) t.storage.setLong(i, (long) s + i * (long) st);
            else t.storage.setDouble(i, start + i * step);
        }
        return t;
    }

    /** {@code steps} evenly spaced values from start to end inclusive, float32. */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        Tensor t = empty(DType.FLOAT32, steps);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        // Like PyTorch: the first half counts up from start, the second half down from end.
        for (int i = 0; i < steps; i++) t.storage.setDouble(i, (float) (i < half || steps == 1 ? start + step * i : end - step * (steps - 1 - i)));
        return t;
    }

    /** The n×n identity (float32). */
    public static Tensor eye(int n) { return eye(n, n); }

    public static Tensor eye(int n, int m) {
        Tensor t = zeros(n, m);
        for (int i = 0; i < Math.min(n, m); i++) t.storage.setDouble(i * m + i, 1);
        return t;
    }

    // ------------------------------------------------------------------ metadata

    /** The sizes of each dimension (a copy). */
    public int[] shape() { return shape.clone(); }

    /** Alias of {@link #shape()}. */
    public int[] size() { return shape.clone(); }

    /** The size of one dimension (negative dims count from the end). */
    public int size(int dim) { return shape[Shape.wrapDim("size", dim, shape.length)]; }

    /** Element strides of each dimension (a copy). */
    public int[] stride() { return strides.clone(); }

    public int storageOffset() { return offset; }

    /** The device this tensor's data lives on. */
    public Device device() { return storage.device; }

    /** Whether this tensor is a view sharing another tensor's storage (PyTorch's {@code _is_view()}). */
    public boolean isView() { return viewBase != null; }

    /** Whether this is a meta tensor (shape and dtype only; PyTorch's {@code is_meta}). */
    public boolean isMeta() { return storage.device.type() == Device.Type.META; }

    /**
     * This tensor on {@code device}: itself when already there, else a copy (to the meta device:
     * a data-less tensor of the same shape and dtype). Meta tensors have no data to move back.
     */
    public Tensor to(Device device) {
        Device from = storage.device;
        if (from.equals(device)) return this;
        if (device.type() == Device.Type.META) {
            Tensor t = empty(dtype, device, shape);
            t.requiresGrad = requiresGrad && isLeaf();
            return t;
        }
        if (from.type() == Device.Type.META) {
            throw new UnsupportedOperationException("to: cannot copy a meta tensor to " + device + " (a meta tensor has no data)");
        }
        // Differentiable, as in PyTorch: the gradient flows back to this tensor's device.
        if (requiresGrad && GradMode.isEnabled()) return new DeviceTransfer(device).apply1(this);
        return DeviceTransfer.copy(this, device);
    }

    /** {@code to(Device.CPU)}. */
    public Tensor cpu() { return to(Device.CPU); }

    /** {@code to(Device.cuda(0))}: needs the {@code sinter-cuda} module and a GPU. */
    public Tensor cuda() { return to(Device.cuda(0)); }

    /** The storage this tensor views (low level; shared with its views). */
    public Storage storage() { return storage; }

    public int dim() { return shape.length; }

    /** The number of elements; a long, as views such as {@code expand} can address more than 2^31 of them. */
    public long numel() {
        return Shape.numelLong(shape);
    }

    public DType dtype() { return dtype; }

    public boolean isFloatingPoint() { return dtype.isFloatingPoint(); }

    /** Whether the elements are laid out densely in row-major order. */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (shape[d] == 0) return true;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** A short description for error messages: dtype and shape. */
    public String describe() {
        return "tensor " + dtype.name().toLowerCase() + Arrays.toString(shape);
    }

    // ------------------------------------------------------------------ data access

    /** The value of a one-element tensor as a double. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: a Tensor with " + numel() + " elements cannot be converted to a scalar "
                    + Arrays.toString(shape));
        }
        return storage.getDouble(offset);
    }

    /** The value of a one-element integer tensor, exactly. */
    public long itemLong() {
        if (numel() != 1) throw new IllegalStateException("itemLong: a Tensor with " + numel() + " elements cannot be converted to a scalar");
        return storage.getLong(offset);
    }

    /** The elements in row-major order as float32 values. */
    public float[] toFloatArray() { return (float[]) contiguousAs(DType.FLOAT32).storage.array; }

    public double[] toDoubleArray() { return (double[]) contiguousAs(DType.FLOAT64).storage.array; }

    public int[] toIntArray() { return (int[]) contiguousAs(DType.INT32).storage.array; }

    public long[] toLongArray() { return (long[]) contiguousAs(DType.INT64).storage.array; }

    public boolean[] toBooleanArray() {
        byte[] b = (byte[]) contiguousAs(DType.BOOL).storage.array;
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] != 0;
        return out;
    }

    /** A fresh, exactly sized, contiguous copy in {@code dt} (never aliases this tensor). */
    private Tensor contiguousAs(DType dt) {
        if (device().type() == Device.Type.META) {
            throw new IllegalStateException("a " + device() + " tensor " + describe() + " has no data on the heap to copy into a Java array");
        }
        if (device().type() != Device.Type.CPU) return DeviceTransfer.copy(this, Device.CPU).contiguousAs(dt);
        try (var _ = GradMode.set(false)) {
            Tensor out = empty(dt, shape);
            Copy.copyInto(out, this);
            return out;
        }
    }

    /** Element at a multi-index (slow; for tests and printing). */
    public double get(int... index) {
        return storage.getDouble(flatIndex(index));
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: expected " + shape.length + " indices for shape " + Arrays.toString(shape)
                    + ", got " + index.length);
        }
        int p = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " is out of bounds for dimension " + d
                        + " with size " + shape[d]);
            }
            p += i * strides[d];
        }
        return p;
    }

    @Override
    public String toString() {
        if (storage.array == null) {
            // PyTorch's form for tensors without data.
            StringBuilder sb = new StringBuilder("tensor(..., device='").append(device()).append("', size=(");
            for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
            sb.append(shape.length == 1 ? ",)" : ")");
            if (dtype != DType.FLOAT32) sb.append(", dtype=").append(dtype.torchName());
            return sb.append(")").toString();
        }
        return TensorPrinter.format(this); // a GPU tensor's values are copied to the host; the device is a suffix
    }

    /** Position of the first element in row-major value order (always 0; printing helper). */
    int offset0() { return 0; }

    /** Same shape and all elements within {@code atol + rtol * |other|} (NaNs never equal). */
    public boolean allclose(Tensor other, double rtol, double atol) {
        if (!Arrays.equals(shape, other.shape)) return false;
        double[] a = toDoubleArray(), b = other.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) continue;
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) return false;
        }
        return true;
    }

    /** {@code allclose} with PyTorch's defaults rtol=1e-5, atol=1e-8. */
    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }

    /** Same shape and exactly equal elements. */
    public boolean equal(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) return false;
        double[] a = toDoubleArray(), b = other.toDoubleArray();
        return Arrays.equals(a, b);
    }

    // ------------------------------------------------------------------ autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Sets whether gradients are recorded for this (leaf) tensor; returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false): you can only change requiresGrad of leaf tensors; "
                    + "use detach() for a non-leaf " + describe());
        }
        if (value && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad: only floating point tensors can require gradients, got " + describe());
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient (null until a backward pass reaches this leaf). */
    public Tensor grad() { return grad; }

    /** Replaces the gradient (optimizers and gradient clipping use it). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Arrays.toString(g.shape) + " differs from "
                    + Arrays.toString(shape));
        }
        grad = g;
    }

    /** Clears the gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() { grad = null; }

    /** The node that produced this tensor, null for leaves. */
    public Node gradFn() { return gradFn; }

    /** Leaves: tensors not produced by a recorded op (user-created or not requiring grad). */
    public boolean isLeaf() { return gradFn == null; }

    /** For a non-leaf tensor: keep its gradient in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (gradFn == null) return this;
        if (!retainsGrad) {
            retainsGrad = true;
            Tensor self = this;
            gradFn.addPreHook(outputNr, g -> {
                self.grad = self.grad == null ? g.detach().contiguousCopy() : self.grad.add(g.detach());
                return g;
            });
        }
        return this;
    }

    /** Names the tensor (shown by graph exports and profiles). */
    public Tensor name(String n) { name = n; return this; }

    public String name() { return name; }

    /** A handle that removes a registered hook. */
    public interface RemovableHandle {
        void remove();
    }

    /**
     * Registers a hook called with this tensor's gradient during backward; a non-null return
     * replaces the gradient.
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad) throw new IllegalStateException("registerHook: cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn != null) {
            Node n = gradFn;
            int nr = outputNr;
            n.addPreHook(nr, hook);
            return () -> n.removePreHook(nr, hook);
        }
        AccumulateGrad acc = accumulator();
        acc.hooks.add(hook);
        return () -> acc.hooks.remove(hook);
    }

    /**
     * Registers a hook on a leaf that requires grad, called with the leaf after backward has added
     * a gradient into its {@link #grad()} (PyTorch's {@code register_post_accumulate_grad_hook}).
     * Data-parallel training uses it to start reducing a gradient as soon as it is complete.
     */
    public RemovableHandle registerPostAccumulateGradHook(Consumer<Tensor> hook) {
        if (!requiresGrad) throw new IllegalStateException("registerPostAccumulateGradHook: cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn != null) throw new IllegalStateException("registerPostAccumulateGradHook: post accumulate grad hooks cannot be registered on non-leaf tensors");
        AccumulateGrad acc = accumulator();
        acc.postAccumulateHooks.add(hook);
        return () -> acc.postAccumulateHooks.remove(hook);
    }

    AccumulateGrad accumulator() {
        if (accumulator == null) accumulator = new AccumulateGrad(this);
        return accumulator;
    }

    /** A tensor object sharing storage and autograd identity, immune to later re-basing of this one. */
    Tensor shallowSnapshot() {
        Tensor t = new Tensor(storage, shape, strides, offset);
        t.requiresGrad = requiresGrad;
        t.gradFn = gradFn;
        t.outputNr = outputNr;
        t.viewBase = viewBase;
        if (requiresGrad && gradFn == null) t.accumulator = accumulator();
        return t;
    }

    /** Backpropagates from this scalar: gradients accumulate into the leaves' {@link #grad()}. */
    public void backward() { backward(null, false, false); }

    /** Backpropagates with an explicit gradient of this tensor. */
    public void backward(Tensor gradient) { backward(gradient, false, false); }

    /**
     * Backpropagates. {@code retainGraph} keeps saved tensors for another pass; {@code createGraph}
     * records the backward computation so gradients can be differentiated again.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Engine.backward(new Tensor[] {this}, new Tensor[] {gradient}, retainGraph || createGraph, createGraph);
    }

    /** A tensor sharing this one's data, cut off from the autograd graph. */
    public Tensor detach() {
        Tensor t = new Tensor(storage, shape, strides, offset);
        t.viewBase = viewBase;
        return t;
    }

    /**
     * Re-points this leaf tensor at {@code source}'s data (shared, not copied), keeping its identity
     * and autograd settings: PyTorch's {@code param.data = source}. Used to convert or load module
     * parameters while optimizers and modules keep their references.
     */
    public Tensor setData(Tensor source) {
        if (gradFn != null) throw new IllegalStateException("setData: only leaf tensors can be re-pointed, got a non-leaf " + describe());
        if (requiresGrad && !source.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("setData: a tensor that requires grad needs floating point data, got " + source.describe());
        }
        storage = source.storage;
        shape = source.shape.clone();
        strides = source.strides.clone();
        offset = source.offset;
        dtype = source.dtype;
        viewBase = source.viewBase;
        if (grad != null && (!java.util.Arrays.equals(grad.shape, shape) || grad.dtype != dtype)) grad = null;
        return this;
    }

    /** Detaches this tensor from the graph in place, making it a leaf. */
    public Tensor detach_() {
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    // ------------------------------------------------------------------ conversion and copies

    /** This tensor converted to {@code dt} (differentiable between floating types); this tensor when already so. */
    public Tensor to(DType dt) { return dt == dtype ? this : UnaryOps.cast(this, dt); }

    /** A contiguous tensor with the same values (this one when already contiguous). */
    public Tensor contiguous() { return isContiguous() ? this : ShapeOps.clone(this); }

    /** A copy with its own storage, recorded for autograd. */
    public Tensor clone() { return ShapeOps.clone(this); }

    /**
     * A dense copy outside autograd, on this tensor's device. Dispatched (a clone), so a backward
     * run on meta tensors, and the compiler tracing it, see the copy like any other op.
     */
    Tensor contiguousCopy() {
        try (var _ = GradMode.set(false)) {
            return ShapeOps.clone(this);
        }
    }

    /** Copies {@code src} (broadcast, cast) into this tensor, in place. */
    public Tensor copy_(Tensor src) { return ShapeOps.copy_(this, src); }

    /** Fills with a value, in place. */
    public Tensor fill_(double value) { return ShapeOps.fill_(this, value); }

    /** Fills with zeros, in place. */
    public Tensor zero_() { return fill_(0); }

    /** Fills with uniform samples in [from, to), in place, outside autograd. */
    public Tensor uniform_(double from, double to) { Generator.global().uniform_(this, from, to); return this; }

    /** Fills with normal samples, in place, outside autograd. */
    public Tensor normal_(double mean, double std) { Generator.global().normal_(this, mean, std); return this; }

    // ------------------------------------------------------------------ views

    public Tensor reshape(int... shape) { return ViewOps.reshape(this, shape); }

    /** Like reshape but never copies: fails when the strides do not allow a view. */
    public Tensor view(int... shape) { return ViewOps.view(this, shape); }

    public Tensor viewAs(Tensor other) { return view(other.shape); }

    public Tensor reshapeAs(Tensor other) { return reshape(other.shape); }

    public Tensor permute(int... dims) { return ViewOps.permute(this, dims); }

    public Tensor transpose(int dim0, int dim1) { return ViewOps.transpose(this, dim0, dim1); }

    /** Transpose of a ≤2-D tensor. */
    public Tensor t() {
        if (shape.length > 2) throw new IllegalArgumentException("t: expects a tensor with <= 2 dimensions, but got " + describe());
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Reverses all dimensions (PyTorch's {@code .mT} for 2-D; {@code permute(n-1..0)}). */
    public Tensor mT() { return transpose(-2, -1); }

    public Tensor expand(int... shape) { return ViewOps.expand(this, shape); }

    public Tensor expandAs(Tensor other) { return expand(other.shape); }

    public Tensor narrow(int dim, int start, int length) { return ViewOps.narrow(this, dim, start, length); }

    /** Elements start, start+step, … below end along dim (Python's {@code t[start:end:step]}). */
    public Tensor slice(int dim, int start, int end, int step) { return ViewOps.slice(this, dim, start, end, step); }

    /** Removes dim by taking one index along it. */
    public Tensor select(int dim, int index) { return ViewOps.select(this, dim, index); }

    public Tensor squeeze() { return ViewOps.squeeze(this, null); }

    public Tensor squeeze(int dim) { return ViewOps.squeeze(this, new int[] {dim}); }

    public Tensor unsqueeze(int dim) { return ViewOps.unsqueeze(this, dim); }

    public Tensor flatten() { return flatten(0, -1); }

    public Tensor flatten(int startDim, int endDim) { return ViewOps.flatten(this, startDim, endDim); }

    /** Unflattens dim into the given sizes. */
    public Tensor unflatten(int dim, int... sizes) { return ViewOps.unflatten(this, dim, sizes); }

    /** Sliding windows of {@code size} with {@code step} along dim, as a new last dimension. */
    public Tensor unfold(int dim, int size, int step) { return ViewOps.unfold(this, dim, size, step); }

    public Tensor asStrided(int[] shape, int[] strides, int storageOffset) { return ViewOps.asStrided(this, shape, strides, storageOffset); }

    public Tensor movedim(int source, int destination) { return ViewOps.movedim(this, source, destination); }

    public Tensor diagonal(int offset, int dim1, int dim2) { return ViewOps.diagonal(this, offset, dim1, dim2); }

    // ------------------------------------------------------------------ joining, splitting, copying ops

    public static Tensor cat(List<Tensor> tensors, int dim) { return ShapeOps.cat(tensors, dim); }

    public static Tensor cat(Tensor[] tensors, int dim) { return ShapeOps.cat(Arrays.asList(tensors), dim); }

    public static Tensor stack(List<Tensor> tensors, int dim) { return ShapeOps.stack(tensors, dim); }

    public static Tensor stack(Tensor[] tensors, int dim) { return ShapeOps.stack(Arrays.asList(tensors), dim); }

    /** Splits into pieces of {@code splitSize} along dim (the last may be smaller); views. */
    public List<Tensor> split(int splitSize, int dim) { return ShapeOps.split(this, splitSize, dim); }

    /** Splits into pieces of the given sizes along dim; views. */
    public List<Tensor> split(int[] sizes, int dim) { return ShapeOps.splitWithSizes(this, sizes, dim); }

    public List<Tensor> chunk(int chunks, int dim) { return ShapeOps.chunk(this, chunks, dim); }

    /** Removes dim, returning its slices. */
    public List<Tensor> unbind(int dim) {
        int d = Shape.wrapDim("unbind", dim, shape.length);
        List<Tensor> out = new ArrayList<>(shape[d]);
        for (int i = 0; i < shape[d]; i++) out.add(select(d, i));
        return out;
    }

    /**
     * Pads (PyTorch's {@code F.pad} order: last dimension first, (left, right) pairs). Modes:
     * "constant" (with value), "reflect", "replicate", "circular".
     */
    public Tensor pad(int[] pad, String mode, double value) { return ShapeOps.pad(this, pad, mode, value); }

    public Tensor pad(int... pad) { return ShapeOps.pad(this, pad, "constant", 0); }

    public Tensor flip(int... dims) { return ShapeOps.flip(this, dims); }

    public Tensor repeat(int... repeats) { return ShapeOps.repeat(this, repeats); }

    public Tensor roll(int shifts, int dim) { return ShapeOps.roll(this, shifts, dim); }

    public Tensor tril(int diagonal) { return ShapeOps.tril(this, diagonal); }

    public Tensor tril() { return tril(0); }

    public Tensor triu(int diagonal) { return ShapeOps.triu(this, diagonal); }

    public Tensor triu() { return triu(0); }

    public Tensor gather(int dim, Tensor index) { return IndexOps.gather(this, dim, index); }

    public Tensor scatter(int dim, Tensor index, Tensor src) { return IndexOps.scatter(this, dim, index, src); }

    public Tensor scatter(int dim, Tensor index, double value) {
        return IndexOps.scatter(this, dim, index, scalar(ScalarConversion.checked("scatter", value, dtype), dtype));
    }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return IndexOps.scatterAdd(this, dim, index, src); }

    public Tensor indexSelect(int dim, Tensor index) { return IndexOps.indexSelect(this, dim, index); }

    /** Elements where {@code mask} is true replaced by {@code value} (mask broadcasts). */
    public Tensor maskedFill(Tensor mask, double value) { return IndexOps.maskedFill(this, mask, value); }

    public Tensor maskedFill(Tensor mask, Tensor value) { return IndexOps.where(mask, value, this); }

    /** {@code a} where cond is true, {@code b} elsewhere (all three broadcast). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return IndexOps.where(cond, a, b); }

    // ------------------------------------------------------------------ elementwise arithmetic

    public Tensor add(Tensor other) { return BinaryOps.add(this, other); }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) { return alpha == 1 ? add(other) : add(BinaryOps.scaledByAlpha("add", this, other, alpha)); }

    public Tensor add(double other) { return BinaryOps.add(this, BinaryOps.wrap(other)); }

    public Tensor add(long other) { return BinaryOps.add(this, BinaryOps.wrap(other)); }

    public Tensor sub(Tensor other) { return BinaryOps.sub(this, other); }

    public Tensor sub(Tensor other, double alpha) { return alpha == 1 ? sub(other) : sub(BinaryOps.scaledByAlpha("sub", this, other, alpha)); }

    public Tensor sub(double other) { return BinaryOps.sub(this, BinaryOps.wrap(other)); }

    public Tensor sub(long other) { return BinaryOps.sub(this, BinaryOps.wrap(other)); }

    /** {@code other - this}. */
    public Tensor rsub(double other) { return BinaryOps.sub(BinaryOps.wrap(other), this); }

    public Tensor mul(Tensor other) { return BinaryOps.mul(this, other); }

    public Tensor mul(double other) { return BinaryOps.mul(this, BinaryOps.wrap(other)); }

    public Tensor mul(long other) { return BinaryOps.mul(this, BinaryOps.wrap(other)); }

    /** True division (integers promote to float). */
    public Tensor div(Tensor other) { return BinaryOps.div(this, other); }

    public Tensor div(double other) { return BinaryOps.div(this, BinaryOps.wrap(other)); }

    /** {@code other / this}. */
    public Tensor rdiv(double other) { return BinaryOps.div(BinaryOps.wrap(other), this); }

    public Tensor pow(Tensor exponent) { return BinaryOps.pow(this, exponent); }

    /** {@code this ** exponent}; integer tensors promote to float32 (a Java double is a Python float). */
    public Tensor pow(double exponent) { return UnaryOps.powScalar(this, exponent); }

    /** {@code this ** exponent} with an integer exponent: integer tensors stay integer. */
    public Tensor pow(long exponent) { return UnaryOps.powScalar(this, exponent); }

    public Tensor remainder(Tensor other) { return BinaryOps.remainder(this, other); }

    public Tensor remainder(double other) { return BinaryOps.remainder(this, BinaryOps.wrap(other)); }

    public Tensor floorDivide(Tensor other) { return BinaryOps.floorDivide(this, other); }

    public Tensor fmod(Tensor other) { return BinaryOps.fmod(this, other); }

    public Tensor atan2(Tensor other) { return BinaryOps.atan2(this, other); }

    public Tensor maximum(Tensor other) { return BinaryOps.maximum(this, other); }

    public Tensor minimum(Tensor other) { return BinaryOps.minimum(this, other); }

    public Tensor neg() { return UnaryOps.neg(this); }

    public Tensor abs() { return UnaryOps.abs(this); }

    public Tensor sign() { return UnaryOps.sign(this); }

    public Tensor exp() { return UnaryOps.exp(this); }

    public Tensor expm1() { return UnaryOps.expm1(this); }

    public Tensor log() { return UnaryOps.log(this); }

    public Tensor log1p() { return UnaryOps.log1p(this); }

    public Tensor log2() { return UnaryOps.log2(this); }

    public Tensor log10() { return UnaryOps.log10(this); }

    public Tensor sqrt() { return UnaryOps.sqrt(this); }

    public Tensor rsqrt() { return UnaryOps.rsqrt(this); }

    public Tensor square() { return mul(this); }

    public Tensor reciprocal() { return UnaryOps.reciprocal(this); }

    public Tensor sin() { return UnaryOps.sin(this); }

    public Tensor cos() { return UnaryOps.cos(this); }

    public Tensor tan() { return UnaryOps.tan(this); }

    public Tensor tanh() { return UnaryOps.tanh(this); }

    public Tensor sigmoid() { return UnaryOps.sigmoid(this); }

    public Tensor relu() { return UnaryOps.relu(this); }

    public Tensor leakyRelu(double negativeSlope) { return UnaryOps.leakyRelu(this, negativeSlope); }

    /** Exact GELU, {@code x * Φ(x)}. */
    public Tensor gelu() { return UnaryOps.gelu(this, false); }

    /** GELU with {@code approximate} = "none" (exact) or "tanh". */
    public Tensor gelu(String approximate) {
        return switch (approximate) {
            case "none" -> UnaryOps.gelu(this, false);
            case "tanh" -> UnaryOps.gelu(this, true);
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        };
    }

    public Tensor silu() { return UnaryOps.silu(this); }

    /** {@code log(1 + exp(x))} (beta 1, threshold 20). */
    public Tensor softplus() { return softplus(1, 20); }

    public Tensor softplus(double beta, double threshold) { return UnaryOps.softplus(this, beta, threshold); }

    public Tensor erf() { return UnaryOps.erf(this); }

    /** The normalized sinc, sin(πx)/(πx), 1 at 0 (torch.sinc). */
    public Tensor sinc() { return UnaryOps.unary(org.sinter.kernels.UnaryKernels.UnaryFn.SINC, this); }

    public Tensor floor() { return UnaryOps.rounding(this, org.sinter.kernels.UnaryKernels.UnaryFn.FLOOR); }

    public Tensor ceil() { return UnaryOps.rounding(this, org.sinter.kernels.UnaryKernels.UnaryFn.CEIL); }

    public Tensor round() { return UnaryOps.rounding(this, org.sinter.kernels.UnaryKernels.UnaryFn.ROUND); }

    public Tensor trunc() { return UnaryOps.rounding(this, org.sinter.kernels.UnaryKernels.UnaryFn.TRUNC); }

    /** Clamps into [min, max]; pass ±infinity for a one-sided clamp. */
    public Tensor clamp(double min, double max) { return UnaryOps.clamp(this, min, max); }

    /** Clamps with integer bounds; integer tensors stay integer. */
    public Tensor clamp(long min, long max) { return UnaryOps.clamp(this, min, max); }

    public Tensor clampMin(double min) { return clamp(min, Double.POSITIVE_INFINITY); }

    public Tensor clampMax(double max) { return clamp(Double.NEGATIVE_INFINITY, max); }

    /** Linear interpolation {@code this + weight * (end - this)}. */
    public Tensor lerp(Tensor end, double weight) { return add(end.sub(this).mul(weight)); }

    // ------------------------------------------------------------------ comparisons and logic (bool results)

    public Tensor eq(Tensor o) { return CompareOps.compare(org.sinter.kernels.CompareFn.EQ, this, o); }

    public Tensor eq(double o) { return CompareOps.compare(org.sinter.kernels.CompareFn.EQ, this, BinaryOps.wrap(o)); }

    public Tensor ne(Tensor o) { return CompareOps.compare(org.sinter.kernels.CompareFn.NE, this, o); }

    public Tensor ne(double o) { return CompareOps.compare(org.sinter.kernels.CompareFn.NE, this, BinaryOps.wrap(o)); }

    public Tensor lt(Tensor o) { return CompareOps.compare(org.sinter.kernels.CompareFn.LT, this, o); }

    public Tensor lt(double o) { return CompareOps.compare(org.sinter.kernels.CompareFn.LT, this, BinaryOps.wrap(o)); }

    public Tensor le(Tensor o) { return CompareOps.compare(org.sinter.kernels.CompareFn.LE, this, o); }

    public Tensor le(double o) { return CompareOps.compare(org.sinter.kernels.CompareFn.LE, this, BinaryOps.wrap(o)); }

    public Tensor gt(Tensor o) { return CompareOps.compare(org.sinter.kernels.CompareFn.GT, this, o); }

    public Tensor gt(double o) { return CompareOps.compare(org.sinter.kernels.CompareFn.GT, this, BinaryOps.wrap(o)); }

    public Tensor ge(Tensor o) { return CompareOps.compare(org.sinter.kernels.CompareFn.GE, this, o); }

    public Tensor ge(double o) { return CompareOps.compare(org.sinter.kernels.CompareFn.GE, this, BinaryOps.wrap(o)); }

    public Tensor logicalAnd(Tensor o) { return CompareOps.logical("logical_and", this, o); }

    public Tensor logicalOr(Tensor o) { return CompareOps.logical("logical_or", this, o); }

    public Tensor logicalXor(Tensor o) { return CompareOps.logical("logical_xor", this, o); }

    public Tensor logicalNot() { return CompareOps.logicalNot(this); }

    public Tensor isnan() { return ne(this); }

    public Tensor isinf() { return abs().eq(Double.POSITIVE_INFINITY); }

    public Tensor isfinite() { return CompareOps.isfinite(this); }

    /** Whether any element is nonzero (0-d bool). */
    public Tensor any() { return ReduceOps.any(this); }

    /** Whether all elements are nonzero (0-d bool). */
    public Tensor all() { return ReduceOps.all(this); }

    // ------------------------------------------------------------------ reductions

    public Tensor sum() { return ReduceOps.sum(this, null, false); }

    public Tensor sum(int dim, boolean keepDim) { return ReduceOps.sum(this, new int[] {dim}, keepDim); }

    public Tensor sum(int[] dims, boolean keepDim) { return ReduceOps.sum(this, dims, keepDim); }

    /** Sums broadcast dimensions away so the result has {@code shape} (the inverse of expand). */
    public Tensor sumToSize(int... shape) { return ReduceOps.sumToSize(this, shape); }

    public Tensor mean() { return ReduceOps.mean(this, null, false); }

    public Tensor mean(int dim, boolean keepDim) { return ReduceOps.mean(this, new int[] {dim}, keepDim); }

    public Tensor mean(int[] dims, boolean keepDim) { return ReduceOps.mean(this, dims, keepDim); }

    public Tensor prod() { return ReduceOps.prod(this, null, false); }

    public Tensor prod(int dim, boolean keepDim) { return ReduceOps.prod(this, new int[] {dim}, keepDim); }

    /** Maximum of all elements (0-d). */
    public Tensor max() { return ReduceOps.max(this); }

    /** Maximum along dim, with the index of the (first) maximum. */
    public ValuesIndices max(int dim, boolean keepDim) { return ReduceOps.maxWithIndices(this, dim, keepDim, true); }

    public Tensor min() { return ReduceOps.min(this); }

    public ValuesIndices min(int dim, boolean keepDim) { return ReduceOps.maxWithIndices(this, dim, keepDim, false); }

    public Tensor amax(int[] dims, boolean keepDim) { return ReduceOps.amax(this, dims, keepDim); }

    public Tensor amin(int[] dims, boolean keepDim) { return ReduceOps.amin(this, dims, keepDim); }

    /** Index of the maximum of the flattened tensor (int64, 0-d). */
    public Tensor argmax() { return ReduceOps.argmax(this, null, false, true); }

    public Tensor argmax(int dim, boolean keepDim) { return ReduceOps.argmax(this, dim, keepDim, true); }

    public Tensor argmin() { return ReduceOps.argmax(this, null, false, false); }

    public Tensor argmin(int dim, boolean keepDim) { return ReduceOps.argmax(this, dim, keepDim, false); }

    /** Variance of all elements with Bessel's correction. */
    public Tensor var() { return ReduceOps.var(this, null, 1, false); }

    public Tensor var(int dim, boolean keepDim) { return ReduceOps.var(this, new int[] {dim}, 1, keepDim); }

    /** Variance over dims, dividing by {@code N - correction}. */
    public Tensor var(int[] dims, int correction, boolean keepDim) { return ReduceOps.var(this, dims, correction, keepDim); }

    public Tensor std() { return var().sqrt(); }

    public Tensor std(int dim, boolean keepDim) { return var(dim, keepDim).sqrt(); }

    public Tensor std(int[] dims, int correction, boolean keepDim) { return var(dims, correction, keepDim).sqrt(); }

    public Tensor logsumexp(int dim, boolean keepDim) { return ReduceOps.logsumexp(this, new int[] {dim}, keepDim); }

    public Tensor logsumexp(int[] dims, boolean keepDim) { return ReduceOps.logsumexp(this, dims, keepDim); }

    /** The 2-norm of all elements. */
    public Tensor norm() { return ReduceOps.norm(this, 2, null, false); }

    /** The p-norm over dims (p may be ±infinity); null dims means all. */
    public Tensor norm(double p, int[] dims, boolean keepDim) { return ReduceOps.norm(this, p, dims, keepDim); }

    public Tensor norm(double p) { return ReduceOps.norm(this, p, null, false); }

    public Tensor cumsum(int dim) { return ReduceOps.cumsum(this, dim); }

    public Tensor softmax(int dim) { return SoftmaxOps.softmax(this, dim, false); }

    public Tensor logSoftmax(int dim) { return SoftmaxOps.softmax(this, dim, true); }

    // ------------------------------------------------------------------ linear algebra

    /** Matrix product with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
    public Tensor matmul(Tensor other) { return LinalgOps.matmul(this, other); }

    /** 2-D matrix product. */
    public Tensor mm(Tensor other) {
        if (dim() != 2 || other.dim() != 2) {
            throw new IllegalArgumentException("mm: expects 2-D tensors, got " + Arrays.toString(shape) + " and " + Arrays.toString(other.shape));
        }
        return matmul(other);
    }

    /** Batched 3-D matrix product. */
    public Tensor bmm(Tensor other) {
        if (dim() != 3 || other.dim() != 3 || shape[0] != other.shape[0]) {
            throw new IllegalArgumentException("bmm: expects 3-D tensors with equal batch, got " + Arrays.toString(shape)
                    + " and " + Arrays.toString(other.shape));
        }
        return matmul(other);
    }

    /** Dot product of 1-D tensors. */
    public Tensor dot(Tensor other) {
        if (dim() != 1 || other.dim() != 1) {
            throw new IllegalArgumentException("dot: expects 1-D tensors, got " + Arrays.toString(shape) + " and " + Arrays.toString(other.shape));
        }
        return matmul(other);
    }

    // ------------------------------------------------------------------ in-place forms (optimizers)

    public Tensor add_(Tensor other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.ADD, this, other); }

    /** {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) { return alpha == 1 ? add_(other) : BinaryOps.addScaled_(this, other, alpha); }

    public Tensor add_(double other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.ADD, this, BinaryOps.wrap(other)); }

    public Tensor sub_(Tensor other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.SUB, this, other); }

    public Tensor sub_(double other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.SUB, this, BinaryOps.wrap(other)); }

    public Tensor mul_(Tensor other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.MUL, this, other); }

    public Tensor mul_(double other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.MUL, this, BinaryOps.wrap(other)); }

    public Tensor div_(Tensor other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.DIV, this, other); }

    public Tensor div_(double other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.DIV, this, BinaryOps.wrap(other)); }

    public Tensor maximum_(Tensor other) { return BinaryOps.inPlace(org.sinter.kernels.BinaryFn.MAXIMUM, this, other); }

    /** {@code this += value * t1 * t2}. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) { return add_(t1.mul(t2), value); }

    /** {@code this += value * t1 / t2}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) { return add_(t1.div(t2), value); }

    public Tensor sqrt_() { return UnaryOps.inPlace(org.sinter.kernels.UnaryKernels.UnaryFn.SQRT, this, 0, 0); }

    public Tensor neg_() { return UnaryOps.inPlace(org.sinter.kernels.UnaryKernels.UnaryFn.NEG, this, 0, 0); }

    public Tensor relu_() { return UnaryOps.inPlace(org.sinter.kernels.UnaryKernels.UnaryFn.RELU, this, 0, 0); }

    public Tensor exp_() { return UnaryOps.inPlace(org.sinter.kernels.UnaryKernels.UnaryFn.EXP, this, 0, 0); }

    public Tensor clamp_(double min, double max) { return UnaryOps.inPlace(org.sinter.kernels.UnaryKernels.UnaryFn.CLAMP, this, min, max); }

    public Tensor maskedFill_(Tensor mask, double value) { return copy_(maskedFill(mask, value)); }

    // ------------------------------------------------------------------ equality for tests

    /** Element-wise equality of shape, dtype and values is {@link #equal}; object identity otherwise. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
