package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Operators that move data or compute shapes: reshapes, slicing, gathering, concatenation,
 * padding, constants. Inputs that carry shapes, axes or pads must be known when the graph is built
 * (Sinter compiles static shapes); {@code Shape} itself yields such a known tensor.
 */
final class ShapeKernels {
    private ShapeKernels() {}

    /** Host-side results are capped, so a model that asks for an absurd constant fails instead of exhausting memory. */
    static final long MAX_CONSTANT_ELEMENTS = 1L << 28;

    static void register(OpRegistry r) {
        r.add("Reshape", ShapeKernels::reshape, "allowzero", "shape");
        r.add("Flatten", n -> {
            Tensor x = n.in(0);
            long a = n.attrInt("axis", 1);
            if (a < -x.dim() || a > x.dim()) throw n.error("axis " + a + " is out of range for rank " + x.dim());
            int axis = (int) (a < 0 ? a + x.dim() : a);
            int outer = 1;
            for (int i = 0; i < axis; i++) outer *= x.shape()[i];
            int inner = 1;
            for (int i = axis; i < x.dim(); i++) inner *= x.shape()[i];
            return one(x.reshape(outer, inner));
        }, "axis");
        r.add("Transpose", n -> {
            Tensor x = n.in(0);
            long[] perm = n.attrInts("perm", null);
            int[] p = new int[x.dim()];
            for (int i = 0; i < p.length; i++) p[i] = perm == null ? p.length - 1 - i : n.axis(perm[i], x.dim());
            return one(x.permute(p));
        }, "perm");
        r.add("Concat", n -> {
            List<Tensor> xs = n.inputsFrom(0);
            int axis = n.axis(n.attrInt("axis", 0), xs.get(0).dim());
            return one(Tensor.cat(xs, axis));
        }, "axis");
        r.add("Split", ShapeKernels::split, "axis", "split", "num_outputs");
        r.add("Squeeze", n -> {
            Tensor x = n.in(0);
            long[] axes = n.opset() < 13 ? n.attrInts("axes", null) : (n.has(1) ? n.constLongs(1, "axes") : null);
            if (axes == null) return one(x.squeeze());
            int[] ax = Arrays.stream(axes).mapToInt(a -> n.axis(a, x.dim())).sorted().toArray();
            Tensor y = x;
            for (int i = ax.length - 1; i >= 0; i--) {
                if (x.shape()[ax[i]] != 1) throw n.error("cannot squeeze axis " + ax[i] + " of size " + x.shape()[ax[i]]);
                y = y.squeeze(ax[i]);
            }
            return one(y);
        }, "axes");
        r.add("Unsqueeze", n -> {
            Tensor x = n.in(0);
            long[] axes = n.opset() < 13 ? n.attrInts("axes", null) : n.constLongs(1, "axes");
            if (axes == null) throw n.error("axes are required");
            int rank = x.dim() + axes.length;
            int[] ax = Arrays.stream(axes).mapToInt(a -> n.axis(a, rank)).sorted().toArray();
            for (int i = 1; i < ax.length; i++) if (ax[i] == ax[i - 1]) throw n.error("axes repeat " + ax[i]);
            Tensor y = x;
            for (int a : ax) y = y.unsqueeze(a);
            return one(y);
        }, "axes");
        r.add("Slice", ShapeKernels::slice, "starts", "ends", "axes");
        r.add("Gather", n -> {
            Tensor x = n.in(0);
            Tensor idx = n.in(1);
            int axis = n.axis(n.attrInt("axis", 0), x.dim());
            Tensor i = wrapIndices(idx, x.shape()[axis]);
            Tensor flat = x.indexSelect(axis, i.reshape(-1));
            int[] shape = new int[x.dim() - 1 + idx.dim()];
            int[] xs = x.shape();
            int[] is = idx.shape();
            System.arraycopy(xs, 0, shape, 0, axis);
            System.arraycopy(is, 0, shape, axis, is.length);
            System.arraycopy(xs, axis + 1, shape, axis + is.length, xs.length - axis - 1);
            return one(flat.reshape(shape));
        }, "axis");
        r.add("GatherElements", n -> {
            Tensor x = n.in(0);
            int axis = n.axis(n.attrInt("axis", 0), x.dim());
            return one(x.gather(axis, wrapIndices(n.in(1), x.shape()[axis])));
        }, "axis");
        r.add("ScatterElements", n -> {
            Tensor x = n.in(0);
            int axis = n.axis(n.attrInt("axis", 0), x.dim());
            String reduction = n.attrString("reduction", "none");
            Tensor idx = wrapIndices(n.in(1), x.shape()[axis]);
            return switch (reduction) {
                case "none" -> one(x.scatter(axis, idx, n.in(2)));
                case "add" -> one(x.scatterAdd(axis, idx, n.in(2)));
                default -> throw n.unsupported("reduction '" + reduction + "'");
            };
        }, "axis", "reduction");
        r.add("GatherND", n -> {
            Tensor data = n.in(0);
            Tensor idx = n.in(1).to(DType.INT64);
            int b = (int) n.attrInt("batch_dims", 0);
            int k = idx.size(idx.dim() - 1);
            if (b + k > data.dim()) throw n.error("indices address " + (b + k) + " dims of a rank-" + data.dim() + " tensor");
            Tensor rows = rowIndex(data, idx, b, k);
            int[] rest = Arrays.copyOfRange(data.shape(), b + k, data.dim());
            Tensor flat = data.reshape(prepend(-1, rest));
            int[] outShape = concat(Arrays.copyOfRange(idx.shape(), 0, idx.dim() - 1), rest);
            return one(flat.indexSelect(0, rows.reshape(-1)).reshape(outShape));
        }, "batch_dims");
        r.add("ScatterND", n -> {
            Tensor data = n.in(0);
            Tensor idx = n.in(1).to(DType.INT64);
            Tensor upd = n.in(2);
            int k = idx.size(idx.dim() - 1);
            int[] rest = Arrays.copyOfRange(data.shape(), k, data.dim());
            Tensor flat = data.reshape(prepend(-1, rest));
            Tensor rows = rowIndex(data, idx, 0, k).reshape(-1);
            Tensor u = upd.reshape(prepend(-1, rest));
            int[] view = new int[flat.dim()];
            Arrays.fill(view, 1);
            view[0] = (int) rows.numel();
            Tensor where = rows.reshape(view).expand(u.shape());
            String reduction = n.attrString("reduction", "none");
            Tensor out = switch (reduction) {
                case "none" -> flat.scatter(0, where, u);
                case "add" -> flat.scatterAdd(0, where, u);
                case "mul" -> {
                    // A product of updates per index, duplicates included: |u| multiplies through a sum of logs, the sign by
                    // the parity of the negative factors (within float rounding of exact).
                    if (!u.isFloatingPoint()) throw n.unsupported("reduction 'mul' on integers");
                    Tensor zeros = flat.mul(0.0); // traced, unlike a fresh tensor
                    Tensor magnitude = zeros.scatterAdd(0, where, u.abs().log()).exp();
                    Tensor negatives = zeros.scatterAdd(0, where, u.lt(0.0).to(u.dtype()));
                    Tensor sign = negatives.remainder(2.0).mul(-2.0).add(1.0);
                    yield flat.mul(magnitude).mul(sign);
                }
                default -> throw n.unsupported("reduction '" + reduction + "'");
            };
            return one(out.reshape(data.shape()));
        }, "reduction");
        r.add("Scatter", n -> {
            Tensor x = n.in(0);
            int axis = n.axis(n.attrInt("axis", 0), x.dim());
            return one(x.scatter(axis, wrapIndices(n.in(1), x.shape()[axis]), n.in(2)));
        }, "axis");
        r.add("OneHot", n -> {
            Tensor idx = n.in(0);
            long depth = (long) n.constDoubles(1, "depth")[0];
            if (depth <= 0 || depth > MAX_CONSTANT_ELEMENTS) throw n.error("depth " + depth + " is out of range");
            Tensor values = n.in(2);
            int rank = idx.dim() + 1;
            long a = n.attrInt("axis", -1);
            int axis = n.axis(a, rank);
            Tensor i = idx.to(DType.INT64);
            i = Tensor.where(i.lt(0.0), i.add(depth), i).unsqueeze(axis);
            int[] shape = new int[rank];
            Arrays.fill(shape, 1);
            shape[axis] = (int) depth;
            Tensor classes = Tensor.arange(depth).reshape(shape);
            Tensor hot = i.eq(classes);
            return one(Tensor.where(hot, values.select(0, 1), values.select(0, 0)));
        }, "axis");
        r.add("EyeLike", n -> {
            Tensor x = n.in(0);
            if (x.dim() != 2) throw n.error("input must be 2-D, got " + x.describe());
            long k = n.attrInt("k", 0);
            DType t = n.hasAttr("dtype") ? org.sinter.onnx.ElementTypes.dtype((int) n.attrInt("dtype", 1), n.describe() + " attribute 'dtype'") : x.dtype();
            int rows = x.size(0);
            int cols = x.size(1);
            double[] v = new double[rows * cols];
            for (int r0 = 0; r0 < rows; r0++) {
                long c = r0 + k;
                if (c >= 0 && c < cols) v[(int) (r0 * (long) cols + c)] = 1;
            }
            return one(Tensor.of(v, rows, cols).to(t));
        }, "dtype", "k");
        r.add("Expand", n -> {
            Tensor x = n.in(0);
            int[] shape = checkedShape(n, n.constLongs(1, "shape"));
            int rank = Math.max(shape.length, x.dim());
            int[] out = new int[rank];
            int[] xs = x.shape();
            for (int i = 0; i < rank; i++) {
                int a = i - (rank - xs.length) >= 0 ? xs[i - (rank - xs.length)] : 1;
                int b = i - (rank - shape.length) >= 0 ? shape[i - (rank - shape.length)] : 1;
                if (a != b && a != 1 && b != 1) throw n.error("cannot broadcast " + Arrays.toString(xs) + " to " + Arrays.toString(shape));
                out[i] = a == 1 ? b : a;
            }
            return one(x.expand(out).contiguous());
        });
        r.add("Tile", n -> {
            Tensor x = n.in(0);
            long[] reps = n.constLongs(1, "repeats");
            if (reps.length != x.dim()) throw n.error("repeats has " + reps.length + " entries for rank " + x.dim());
            return one(x.repeat(NodeContext.toInts(reps)));
        });
        r.add("Pad", ShapeKernels::pad, "mode", "pads", "value");
        r.add("Shape", n -> {
            int[] s = n.in(0).shape();
            int rank = s.length;
            int start = clampAxis(n.attrInt("start", 0), rank);
            int end = clampAxis(n.attrInt("end", rank), rank);
            long[] v = new long[Math.max(0, end - start)];
            for (int i = 0; i < v.length; i++) v[i] = s[start + i];
            return one(Tensor.of(v, v.length));
        }, "start", "end");
        r.add("Size", n -> one(Tensor.of(new long[] {n.in(0).numel()}, 1).reshape(new int[0])));
        r.add("Constant", ShapeKernels::constant, "value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings",
                "sparse_value");
        r.add("ConstantOfShape", n -> {
            int[] shape = checkedShape(n, n.constLongs(0, "shape"));
            Tensor v = n.attrTensor("value");
            if (v == null) v = Tensor.of(new float[] {0}, 1);
            return one(v.reshape(new int[0]).expand(shape).contiguous());
        }, "value");
        r.add("Range", n -> {
            Tensor s = n.in(0);
            if (s.isMeta() || n.in(1).isMeta() || n.in(2).isMeta()) throw n.unsupported("Range bounds computed at run time");
            double start = s.item();
            double limit = n.in(1).item();
            double delta = n.in(2).item();
            if (delta == 0) throw n.error("delta is 0");
            long count = (long) Math.max(0, Math.ceil((limit - start) / delta));
            if (count > MAX_CONSTANT_ELEMENTS) throw n.error("Range would hold " + count + " elements");
            if (s.isFloatingPoint()) {
                double[] v = new double[(int) count];
                for (int i = 0; i < v.length; i++) v[i] = start + i * delta;
                return one(Tensor.of(v, v.length).to(s.dtype()));
            }
            long[] v = new long[(int) count];
            for (int i = 0; i < v.length; i++) v[i] = (long) start + i * (long) delta;
            return one(Tensor.of(v, v.length).to(s.dtype()));
        });
        r.add("DepthToSpace", n -> {
            Tensor x = n.in(0);
            int b = (int) n.attrInt("blocksize", 0);
            int[] s = x.shape();
            int c = s[1] / (b * b);
            boolean crd = n.attrString("mode", "DCR").equals("CRD");
            Tensor y = crd ? x.reshape(s[0], c, b, b, s[2], s[3]).permute(0, 1, 4, 2, 5, 3)
                    : x.reshape(s[0], b, b, c, s[2], s[3]).permute(0, 3, 4, 1, 5, 2);
            return one(y.reshape(s[0], c, s[2] * b, s[3] * b));
        }, "blocksize", "mode");
        r.add("SpaceToDepth", n -> {
            Tensor x = n.in(0);
            int b = (int) n.attrInt("blocksize", 0);
            int[] s = x.shape();
            Tensor y = x.reshape(s[0], s[1], s[2] / b, b, s[3] / b, b).permute(0, 3, 5, 1, 2, 4);
            return one(y.reshape(s[0], s[1] * b * b, s[2] / b, s[3] / b));
        }, "blocksize");
        r.add("Trilu", n -> {
            Tensor x = n.in(0);
            int k = n.has(1) ? (int) n.constLongs(1, "k")[0] : 0;
            return one(n.attrInt("upper", 1) != 0 ? x.triu(k) : x.tril(k));
        }, "upper");
        r.add("CumSum", n -> {
            Tensor x = n.in(0);
            int axis = n.axis(n.constLongs(1, "axis")[0], x.dim());
            boolean exclusive = n.attrInt("exclusive", 0) != 0;
            boolean reverse = n.attrInt("reverse", 0) != 0;
            Tensor y = reverse ? x.flip(axis) : x;
            Tensor c = y.cumsum(axis).to(x.dtype());
            if (exclusive) c = c.sub(y);
            return one(reverse ? c.flip(axis) : c);
        }, "exclusive", "reverse");
    }

    /**
     * The row of {@code data} viewed as [prod(dims 0 .. b+k), rest...] that each index tuple of
     * {@code idx} [batch..., ..., k] addresses (negative indices count from the end).
     */
    private static Tensor rowIndex(Tensor data, Tensor idx, int b, int k) {
        int[] ds = data.shape();
        Tensor rows = null;
        long stride = 1;
        for (int j = k - 1; j >= 0; j--) {
            Tensor i = idx.select(idx.dim() - 1, j);
            i = Tensor.where(i.lt(0.0), i.add((long) ds[b + j]), i);
            Tensor term = i.mul(stride);
            rows = rows == null ? term : rows.add(term);
            stride *= ds[b + j];
        }
        if (b > 0) {
            // Batch dims: each index tuple stays within its own batch element's block of rows.
            int batch = 1;
            for (int j = 0; j < b; j++) batch *= ds[j];
            int[] shape = new int[rows.dim()];
            Arrays.fill(shape, 1);
            System.arraycopy(ds, 0, shape, 0, b);
            rows = rows.add(Tensor.arange(batch).reshape(shape).mul(stride));
        }
        return rows;
    }

    private static int[] prepend(int first, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] s = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }

    static int clampAxis(long a, int rank) {
        if (a < 0) a += rank;
        return (int) Math.max(0, Math.min(rank, a));
    }

    /** Negative indices count from the end (ONNX allows them in Gather and GatherElements). */
    private static Tensor wrapIndices(Tensor idx, int size) {
        Tensor i = idx.to(DType.INT64);
        return Tensor.where(i.lt(0.0), i.add((long) size), i);
    }

    static int[] checkedShape(NodeContext n, long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw n.error("negative dimension " + d + " in shape " + Arrays.toString(shape));
            count *= Math.min(d, MAX_CONSTANT_ELEMENTS + 1);
            if (count > MAX_CONSTANT_ELEMENTS) throw n.error("shape " + Arrays.toString(shape) + " holds more than 2^28 elements");
        }
        return NodeContext.toInts(shape);
    }

    private static Tensor[] reshape(NodeContext n) {
        Tensor x = n.in(0);
        long[] shape = n.opset() < 5 ? n.attrInts("shape", null) : n.constLongs(1, "shape");
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        int[] out = new int[shape.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = shape[i];
            if (d == 0 && !allowZero) {
                if (i >= x.dim()) throw n.error("shape " + Arrays.toString(shape) + " copies dim " + i + " of a rank-" + x.dim() + " input");
                d = x.shape()[i];
            }
            if (d == -1) {
                if (infer >= 0) throw n.error("shape " + Arrays.toString(shape) + " has more than one -1");
                infer = i;
                continue;
            }
            if (d < 0) throw n.error("invalid dimension " + d + " in shape " + Arrays.toString(shape));
            out[i] = (int) d;
            known *= d;
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) throw n.error("cannot reshape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(shape));
            out[infer] = (int) (x.numel() / known);
        } else if (known != x.numel()) {
            throw n.error("cannot reshape " + Arrays.toString(x.shape()) + " (" + x.numel() + " elements) to " + Arrays.toString(shape));
        }
        return one(x.reshape(out));
    }

    private static Tensor[] split(NodeContext n) {
        Tensor x = n.in(0);
        int axis = n.axis(n.attrInt("axis", 0), x.dim());
        int outputs = n.outputCount();
        long[] sizes = n.opset() < 13 ? n.attrInts("split", null) : (n.has(1) ? n.constLongs(1, "split") : null);
        int len = x.shape()[axis];
        if (sizes == null) {
            long parts = n.hasAttr("num_outputs") ? n.attrInt("num_outputs", 1) : outputs;
            if (parts <= 0) throw n.error("cannot tell how many parts to split into");
            long chunk = (len + parts - 1) / parts;
            sizes = new long[(int) parts];
            for (int i = 0; i < parts; i++) sizes[i] = Math.max(0, Math.min(chunk, len - chunk * i));
        }
        if (Arrays.stream(sizes).sum() != len) throw n.error("split sizes " + Arrays.toString(sizes) + " do not add up to " + len);
        List<Tensor> parts = new ArrayList<>();
        int at = 0;
        for (long s : sizes) {
            parts.add(x.narrow(axis, at, (int) s));
            at += (int) s;
        }
        return parts.toArray(Tensor[]::new);
    }

    private static Tensor[] slice(NodeContext n) {
        Tensor x = n.in(0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (n.opset() < 10) {
            starts = n.attrInts("starts", null);
            ends = n.attrInts("ends", null);
            axes = n.attrInts("axes", null);
            if (starts == null || ends == null) throw n.error("starts and ends are required");
        } else {
            starts = n.constLongs(1, "starts");
            ends = n.constLongs(2, "ends");
            axes = n.has(3) ? n.constLongs(3, "axes") : null;
            steps = n.has(4) ? n.constLongs(4, "steps") : null;
        }
        if (ends.length != starts.length) throw n.error("starts and ends differ in length");
        Tensor y = x;
        for (int i = 0; i < starts.length; i++) {
            int axis = n.axis(axes == null ? i : axes[i], x.dim());
            long step = steps == null ? 1 : steps[i];
            if (step == 0) throw n.error("step 0 on axis " + axis);
            long dim = x.shape()[axis];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
                y = e <= s ? y.narrow(axis, (int) s, 0) : y.slice(axis, (int) s, (int) e, (int) step);
            } else {
                // Negative steps: walk the flipped axis forward.
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
                if (e >= s) {
                    y = y.narrow(axis, 0, 0);
                } else {
                    long fs = dim - 1 - s;
                    long fe = dim - 1 - e;
                    y = y.flip(axis).slice(axis, (int) fs, (int) fe, (int) -step);
                }
            }
        }
        return one(y);
    }

    private static Tensor[] pad(NodeContext n) {
        Tensor x = n.in(0);
        String mode = n.attrString("mode", "constant");
        long[] pads;
        double value = 0;
        if (n.opset() < 11) {
            pads = n.attrInts("pads", null);
            value = n.attrFloat("value", 0f);
        } else {
            pads = n.constLongs(1, "pads");
            if (n.has(2)) value = n.constDoubles(2, "constant_value")[0];
        }
        int rank = x.dim();
        long[] axes = n.has(3) ? n.constLongs(3, "axes") : null;
        long[] full = new long[2 * rank];
        if (axes == null) {
            if (pads.length != 2 * rank) throw n.error("pads has " + pads.length + " entries for rank " + rank);
            full = pads;
        } else {
            for (int i = 0; i < axes.length; i++) {
                int a = n.axis(axes[i], rank);
                full[a] = pads[i];
                full[a + rank] = pads[i + axes.length];
            }
        }
        // F.pad's order: last dim first, (begin, end) pairs; negative pads crop.
        int[] tp = new int[2 * rank];
        for (int i = 0; i < rank; i++) {
            tp[2 * i] = (int) full[rank - 1 - i];
            tp[2 * i + 1] = (int) full[2 * rank - 1 - i];
        }
        String torchMode = switch (mode) {
            case "constant" -> "constant";
            case "reflect" -> "reflect";
            case "edge" -> "replicate";
            case "wrap" -> "circular";
            default -> throw n.unsupported("mode '" + mode + "'");
        };
        if (torchMode.equals("constant")) return one(x.pad(tp, torchMode, value));
        return one(padByCopies(n, x, full, mode));
    }

    /**
     * Reflect, edge and wrap padding built from slices, flips and concatenation (views the tracer
     * records), one dim at a time; negative pads crop.
     */
    private static Tensor padByCopies(NodeContext n, Tensor x, long[] pads, String mode) {
        int rank = x.dim();
        Tensor y = x;
        for (int d = 0; d < rank; d++) {
            int before = (int) pads[d];
            int after = (int) pads[d + rank];
            if (before < 0) { y = y.narrow(d, -before, y.size(d) + before); before = 0; }
            if (after < 0) { y = y.narrow(d, 0, y.size(d) + after); after = 0; }
            if (before == 0 && after == 0) continue;
            int size = y.size(d);
            List<Tensor> parts = new ArrayList<>();
            switch (mode) {
                case "reflect" -> {
                    if (before >= size || after >= size) throw n.error("reflect padding " + Math.max(before, after) + " needs a dimension larger than " + size);
                    if (before > 0) parts.add(y.narrow(d, 1, before).flip(d));
                    parts.add(y);
                    if (after > 0) parts.add(y.narrow(d, size - 1 - after, after).flip(d));
                }
                case "edge" -> {
                    if (size == 0) throw n.error("edge padding of an empty dimension");
                    if (before > 0) parts.add(y.narrow(d, 0, 1).expand(expandShape(y, d, before)));
                    parts.add(y);
                    if (after > 0) parts.add(y.narrow(d, size - 1, 1).expand(expandShape(y, d, after)));
                }
                default -> { // wrap
                    if (before > size || after > size) throw n.error("wrap padding larger than the dimension " + size);
                    if (before > 0) parts.add(y.narrow(d, size - before, before));
                    parts.add(y);
                    if (after > 0) parts.add(y.narrow(d, 0, after));
                }
            }
            y = Tensor.cat(parts, d);
        }
        return y;
    }

    private static int[] expandShape(Tensor y, int d, int size) {
        int[] s = y.shape();
        s[d] = size;
        return s;
    }

    private static Tensor[] constant(NodeContext n) {
        Tensor t = n.attrTensor("value");
        if (t != null) return one(t);
        if (n.hasAttr("value_float")) return one(Tensor.of(new float[] {n.attrFloat("value_float", 0)}, 1).reshape(new int[0]));
        if (n.hasAttr("value_int")) return one(Tensor.of(new long[] {n.attrInt("value_int", 0)}, 1).reshape(new int[0]));
        if (n.hasAttr("value_floats")) {
            float[] v = n.attrFloats("value_floats", null);
            return one(Tensor.of(v, v.length));
        }
        if (n.hasAttr("value_ints")) {
            long[] v = n.attrInts("value_ints", null);
            return one(Tensor.of(v, v.length));
        }
        throw n.unsupported("a Constant without a tensor, float or int value (strings and sparse tensors)");
    }
}
