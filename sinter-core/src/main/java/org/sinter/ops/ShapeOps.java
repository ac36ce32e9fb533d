package org.sinter.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.ScalarConversion;
import org.sinter.Shape;
import org.sinter.Tensor;

/** Ops that build new tensors from pieces: clone, copy_, fill_, cat/stack/split, pad, flip, repeat, roll, tril/triu. */
public final class ShapeOps {
    private ShapeOps() {}

    /** A dense copy. */
    public record Clone() implements Op {
        @Override public String name() { return "clone"; }

        @Override public boolean savesInputs() { return false; }

        @Override public TensorSpec[] meta(Tensor... in) { return Op.one(in[0].shape(), in[0].dtype()); }
    }

    /** {@code self.copy_(src)}: src broadcast to self's shape and cast to its dtype. */
    public record CopyFrom() implements InPlaceOp {
        @Override public String name() { return "copy"; }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            if (!Shape.broadcastableTo(in[1].shape(), in[0].shape())) {
                throw new IllegalArgumentException("copy_: source shape " + Arrays.toString(in[1].shape())
                        + " cannot be broadcast to destination shape " + Arrays.toString(in[0].shape()));
            }
            return Op.one(in[0].shape(), in[0].dtype());
        }
    }

    /** {@code self.fill_(value)}. */
    public record Fill(double value) implements InPlaceOp {
        @Override public String name() { return "fill"; }

        @Override public Map<String, Object> attributes() { return Map.of("value", value); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            ScalarConversion.checked("fill_", value, in[0].dtype());
            return Op.one(in[0].shape(), in[0].dtype());
        }
    }

    /** Concatenation along dim of inputs of equal rank whose other sizes match. */
    public record Cat(int dim) implements Op {
        @Override public String name() { return "cat"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            int[] shape = in[0].shape();
            long total = 0;
            for (int i = 0; i < in.length; i++) {
                int[] s = in[i].shape();
                if (s.length != shape.length) {
                    throw new IllegalArgumentException("cat: tensors must have same number of dimensions: got " + shape.length + " and " + s.length
                            + " (tensor " + i + " has shape " + Arrays.toString(s) + ")");
                }
                for (int k = 0; k < s.length; k++) {
                    if (k != dim && s[k] != shape[k]) {
                        throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + dim + ". Expected size "
                                + shape[k] + " but got size " + s[k] + " for tensor number " + i + " in the list");
                    }
                }
                total += s[dim];
            }
            shape[dim] = Shape.checkElements("cat: dimension " + dim + " of the result", total);
            Shape.checkElements("cat: result of shape " + Arrays.toString(shape), Shape.numelLong(shape));
            return Op.one(shape, TypePromotion.resultType(in));
        }
    }

    /** Constant padding by non-negative amounts: {@code pad[2p], pad[2p+1]} before/after dim {@code rank-1-p}. */
    public record ConstantPad(Ints pad, double value) implements Op {
        @Override public String name() { return "constant_pad_nd"; }

        @Override public Map<String, Object> attributes() { return Map.of("pad", pad.toArray(), "value", value); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            ScalarConversion.checked("constant_pad_nd", value, in[0].dtype());
            int[] s = in[0].shape();
            int n = s.length;
            for (int p = 0; p < pad.size() / 2; p++) {
                long size = (long) s[n - 1 - p] + pad.get(2 * p) + pad.get(2 * p + 1);
                if (size < 0) {
                    throw new IllegalArgumentException(name() + ": padding " + pad + " gives dimension " + (n - 1 - p) + " of "
                            + in[0].describe() + " the negative size " + size);
                }
                s[n - 1 - p] = Shape.checkElements(name() + ": dimension " + (n - 1 - p) + " of the result", size);
            }
            return Op.one(s, in[0].dtype());
        }
    }

    public record Flip(Ints dims) implements Op {
        @Override public String name() { return "flip"; }

        @Override public Map<String, Object> attributes() { return Map.of("dims", dims.toArray()); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            Shape.dimMask("flip", dims.toArray(), in[0].dim());
            return Op.one(in[0].shape(), in[0].dtype());
        }
    }

    /** tril ({@code lower}) or triu of the last two dims, keeping diagonals from {@code diagonal}. */
    public record Tri(int diagonal, boolean lower) implements Op {
        @Override public String name() { return lower ? "tril" : "triu"; }

        @Override public Map<String, Object> attributes() { return Map.of("diagonal", diagonal); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            if (in[0].dim() < 2) throw new IllegalArgumentException(name() + ": input tensor must have at least 2 dimensions, got " + in[0].describe());
            return Op.one(in[0].shape(), in[0].dtype());
        }
    }

    public static Tensor clone(Tensor x) {
        return Dispatch.apply1(new Clone(), x);
    }

    public static Tensor copy_(Tensor self, Tensor src) {
        return Dispatch.applyInPlace(new CopyFrom(), self, src);
    }

    public static Tensor fill_(Tensor self, double value) {
        return Dispatch.applyInPlace(new Fill(value), self);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        // Legacy rule kept by PyTorch: 1-D empty tensors are skipped.
        List<Tensor> parts = new ArrayList<>();
        Tensor ref = null;
        for (Tensor t : tensors) {
            if (t.dim() == 1 && t.numel() == 0 && tensors.stream().anyMatch(o -> o.dim() > 1)) continue;
            parts.add(t);
            if (ref == null) ref = t;
        }
        if (ref == null) ref = tensors.get(0);
        if (parts.isEmpty()) parts.add(ref);
        if (ref.dim() == 0) throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        int n = ref.dim();
        int d = Shape.wrapDim("cat", dim, n);
        return Dispatch.apply1(new Cat(d), parts.toArray(new Tensor[0]));
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        int[] s0 = tensors.get(0).shape();
        for (int i = 1; i < tensors.size(); i++) {
            if (!Arrays.equals(s0, tensors.get(i).shape())) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + Arrays.toString(s0)
                        + " at entry 0 and " + Arrays.toString(tensors.get(i).shape()) + " at entry " + i);
            }
        }
        int d = Shape.wrapDim("stack", dim, s0.length + 1);
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) parts.add(t.unsqueeze(d));
        return cat(parts, d);
    }

    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = Shape.wrapDim("split", dim, x.dim());
        if (splitSize <= 0 && x.shape()[d] > 0) throw new IllegalArgumentException("split: split_size must be positive, got " + splitSize);
        int len = x.shape()[d];
        List<Tensor> out = new ArrayList<>();
        if (len == 0) { out.add(x); return out; }
        for (int off = 0; off < len; off += splitSize) out.add(x.narrow(d, off, Math.min(splitSize, len - off)));
        return out;
    }

    public static List<Tensor> splitWithSizes(Tensor x, int[] sizes, int dim) {
        int d = Shape.wrapDim("split", dim, x.dim());
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != x.shape()[d]) {
            throw new IllegalArgumentException("split_with_sizes: sizes " + Arrays.toString(sizes) + " do not sum to " + x.shape()[d]
                    + " (dimension " + d + " of " + Arrays.toString(x.shape()) + ")");
        }
        List<Tensor> out = new ArrayList<>();
        int off = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, off, s));
            off += s;
        }
        return out;
    }

    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: number of chunks must be greater than 0, got " + chunks);
        int d = Shape.wrapDim("chunk", dim, x.dim());
        int len = x.shape()[d];
        int size = (len + chunks - 1) / chunks;
        return split(x, Math.max(size, 1), d);
    }

    public static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        if (pad.length % 2 != 0 || pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length must be even and at most twice the number of dimensions; got "
                    + pad.length + " values for " + Arrays.toString(x.shape()));
        }
        int n = x.dim();
        int pairs = pad.length / 2;
        if (!mode.equals("constant")) {
            Tensor out = x;
            for (int p = 0; p < pairs; p++) {
                int d = n - 1 - p;
                out = padIndexed(out, d, pad[2 * p], pad[2 * p + 1], mode);
            }
            return out;
        }
        // Negative pads crop first.
        Tensor src = x;
        int[] padPos = new int[2 * pairs];
        for (int p = 0; p < pairs; p++) {
            int d = n - 1 - p;
            int l = pad[2 * p], r = pad[2 * p + 1];
            if (l < 0 || r < 0) {
                int len = src.shape()[d];
                int s = Math.max(0, -l), e = len - Math.max(0, -r);
                if (e < s) throw new IllegalArgumentException("pad: cropping " + Arrays.toString(pad) + " leaves a negative size for " + Arrays.toString(x.shape()));
                src = src.narrow(d, s, e - s);
            }
            padPos[2 * p] = Math.max(0, l);
            padPos[2 * p + 1] = Math.max(0, r);
        }
        int[] outShape = src.shape();
        for (int p = 0; p < pairs; p++) outShape[n - 1 - p] += padPos[2 * p] + padPos[2 * p + 1];
        return Dispatch.apply1(new ConstantPad(Ints.of(padPos), value), src);
    }

    /** reflect / replicate / circular padding of one dim as an index gather (its gradient is index_add). */
    private static Tensor padIndexed(Tensor x, int d, int left, int right, String mode) {
        int size = x.shape()[d];
        int outLen = size + left + right;
        if (mode.equals("reflect") && (left >= size || right >= size)) {
            throw new IllegalArgumentException("pad: padding size should be less than the corresponding input dimension, but got: padding ("
                    + left + ", " + right + ") at dimension " + d + " of input " + Arrays.toString(x.shape()));
        }
        if (size == 0 && outLen > 0) throw new IllegalArgumentException("pad: cannot " + mode + "-pad an empty dimension");
        long[] idx = new long[Math.max(0, outLen)];
        for (int j = 0; j < outLen; j++) {
            int i = j - left;
            idx[j] = switch (mode) {
                case "reflect" -> { int m = i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i; yield m; }
                case "replicate" -> Math.max(0, Math.min(size - 1, i));
                case "circular" -> Math.floorMod(i, size);
                default -> throw new IllegalArgumentException("pad: unknown mode '" + mode + "' (constant, reflect, replicate, circular)");
            };
        }
        return x.indexSelect(d, Tensor.of(idx).to(x.device()));
    }

    public static Tensor flip(Tensor x, int[] dims) {
        Shape.dimMask("flip", dims, x.dim());
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) d[i] = Shape.wrapDim("flip", dims[i], x.dim());
        return Dispatch.apply1(new Flip(Ints.of(d)), x);
    }

    public static Tensor repeat(Tensor x, int[] repeats) {
        int n = x.dim();
        if (repeats.length < n) {
            throw new IllegalArgumentException("repeat: number of repeat dims (" + repeats.length
                    + ") can not be smaller than number of dimensions of tensor (" + n + ")");
        }
        int r = repeats.length;
        int[] xs = new int[r];
        Arrays.fill(xs, 1);
        System.arraycopy(x.shape(), 0, xs, r - n, n);
        int[] inter = new int[2 * r], expanded = new int[2 * r], out = new int[r];
        for (int i = 0; i < r; i++) {
            if (repeats[i] < 0) throw new IllegalArgumentException("repeat: negative repeat count " + repeats[i]);
            inter[2 * i] = 1;
            inter[2 * i + 1] = xs[i];
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = xs[i];
            out[i] = Shape.checkElements("repeat: dimension " + i + " of the result", (long) repeats[i] * xs[i]);
        }
        Shape.checkElements("repeat: result of shape " + Arrays.toString(out), Shape.numelLong(out));
        return x.reshape(inter).expand(expanded).reshape(out);
    }

    public static Tensor roll(Tensor x, int shifts, int dim) {
        int d = Shape.wrapDim("roll", dim, x.dim());
        int len = x.shape()[d];
        if (len == 0) return x.clone();
        int s = Math.floorMod(shifts, len);
        if (s == 0) return x.clone();
        return cat(List.of(x.narrow(d, len - s, s), x.narrow(d, 0, len - s)), d);
    }

    public static Tensor tril(Tensor x, int k) { return Dispatch.apply1(new Tri(k, true), x); }

    public static Tensor triu(Tensor x, int k) { return Dispatch.apply1(new Tri(k, false), x); }
}
