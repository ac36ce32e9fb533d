package org.sinter.onnx.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.Tensor;

/**
 * Operators whose output shape depends on their input's values: {@code NonZero} (one column per
 * non-zero element), {@code Unique} (one entry per distinct value or slice) and
 * {@code NonMaxSuppression} (one row per box kept). No static graph can hold them, so a model that
 * uses one runs eagerly (see OnnxModel): the kernels read their inputs' values on the host.
 */
public final class DataDependentKernels {
    private DataDependentKernels() {}

    /**
     * The operators that make a model run eagerly instead of through one compiled graph: these
     * three, {@code TfIdfVectorizer} (TfIdfKernel), whose n-gram matching reads token values, and
     * {@code RoiAlign} (RoiAlignKernel), which samples where the boxes' values say.
     */
    public static final Set<String> OPS = Set.of("NonZero", "Unique", "NonMaxSuppression", "TfIdfVectorizer", "RoiAlign");

    static void register(OpRegistry r) {
        r.add("NonZero", DataDependentKernels::nonZero);
        r.add("Unique", DataDependentKernels::unique, "axis", "sorted");
        r.add("NonMaxSuppression", DataDependentKernels::nonMaxSuppression, "center_point_box");
    }

    private static Tensor value(NodeContext n, int i, String what) {
        Tensor t = n.in(i);
        if (t.isMeta()) throw n.unsupported("input " + i + " (" + what + ") while tracing a static graph (its output shape depends on its values)");
        return t;
    }

    /** The indices of the non-zero elements, one column per element in row-major order: int64 [rank, count]. */
    private static Tensor[] nonZero(NodeContext n) {
        Tensor x = value(n, 0, "data");
        double[] v = x.to(org.sinter.DType.FLOAT64).toDoubleArray();
        int[] shape = x.shape();
        int rank = shape.length;
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < v.length; i++) if (v[i] != 0 || Double.isNaN(v[i])) hits.add(i);
        long[] out = new long[Math.max(rank, 1) * hits.size()];
        for (int k = 0; k < hits.size(); k++) {
            int flat = hits.get(k);
            for (int d = rank - 1; d >= 0; d--) {
                out[d * hits.size() + k] = flat % shape[d];
                flat /= shape[d];
            }
        }
        if (rank == 0) return new Tensor[] {Tensor.zeros(org.sinter.DType.INT64, 0, hits.size())};
        return new Tensor[] {hits.isEmpty() ? Tensor.zeros(org.sinter.DType.INT64, rank, 0) : Tensor.of(out, rank, hits.size())};
    }

    /**
     * The distinct values (no axis: of the flattened tensor) or distinct slices along {@code axis},
     * sorted ascending (slices lexicographically) or in order of first occurrence, with the index
     * of each one's first occurrence, the index of each input entry in the output, and the counts.
     */
    private static Tensor[] unique(NodeContext n) {
        Tensor x0 = value(n, 0, "X");
        boolean flat = !n.hasAttr("axis");
        Tensor x = flat ? x0.reshape(-1) : x0;
        int axis = flat ? 0 : n.axis(n.attrInt("axis", 0), x.dim());
        boolean sorted = n.attrInt("sorted", 1) != 0;
        int count = x.size(axis);
        double[][] slices = new double[count][];
        for (int i = 0; i < count; i++) slices[i] = x.select(axis, i).contiguous().to(org.sinter.DType.FLOAT64).reshape(-1).toDoubleArray();
        Map<List<Double>, Integer> firstSeen = new LinkedHashMap<>();
        long[] inverseByInput = new long[count];
        List<Integer> firsts = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Double> key = Arrays.stream(slices[i]).boxed().toList();
            Integer at = firstSeen.get(key);
            if (at == null) {
                at = firsts.size();
                firstSeen.put(key, at);
                firsts.add(i);
                counts.add(0L);
            }
            counts.set(at, counts.get(at) + 1);
            inverseByInput[i] = at;
        }
        Integer[] order = new Integer[firsts.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (sorted) Arrays.sort(order, Comparator.comparing(k -> slices[firsts.get(k)], Arrays::compare));
        int[] rankOf = new int[order.length];
        for (int r = 0; r < order.length; r++) rankOf[order[r]] = r;
        long[] indices = new long[order.length];
        long[] countOut = new long[order.length];
        for (int r = 0; r < order.length; r++) {
            indices[r] = firsts.get(order[r]);
            countOut[r] = counts.get(order[r]);
        }
        long[] inverse = new long[count];
        for (int i = 0; i < count; i++) inverse[i] = rankOf[(int) inverseByInput[i]];
        Tensor y = x.indexSelect(axis, Tensor.of(indices, indices.length));
        return new Tensor[] {y, Tensor.of(indices, indices.length), Tensor.of(inverse, count), Tensor.of(countOut, countOut.length)};
    }

    /**
     * Greedy non-maximum suppression per batch entry and class: boxes scoring above
     * {@code score_threshold}, highest first (ties by box index), each kept unless its
     * intersection over union with a box already kept exceeds {@code iou_threshold}, at most
     * {@code max_output_boxes_per_class} per class. Output: int64 [kept, 3] of (batch, class, box).
     */
    private static Tensor[] nonMaxSuppression(NodeContext n) {
        Tensor boxesT = value(n, 0, "boxes"), scoresT = value(n, 1, "scores");
        if (boxesT.dim() != 3 || boxesT.size(2) != 4) throw n.error("boxes must be [batches, boxes, 4], got " + boxesT.describe());
        if (scoresT.dim() != 3 || scoresT.size(0) != boxesT.size(0) || scoresT.size(2) != boxesT.size(1)) {
            throw n.error("scores must be [batches, classes, boxes] = [" + boxesT.size(0) + ", C, " + boxesT.size(1) + "], got " + scoresT.describe());
        }
        long maxOut = n.has(2) ? scalar(value(n, 2, "max_output_boxes_per_class").toLongArray(), n, "max_output_boxes_per_class") : 0;
        double iouThreshold = n.has(3) ? scalarD(value(n, 3, "iou_threshold").toDoubleArray(), n, "iou_threshold") : 0;
        boolean hasScoreThreshold = n.has(4);
        double scoreThreshold = hasScoreThreshold ? scalarD(value(n, 4, "score_threshold").toDoubleArray(), n, "score_threshold") : 0;
        if (iouThreshold < 0 || iouThreshold > 1) throw n.error("iou_threshold must be in [0, 1], got " + iouThreshold);
        boolean center = n.attrInt("center_point_box", 0) != 0;
        int batches = boxesT.size(0), count = boxesT.size(1), classes = scoresT.size(1);
        double[] boxes = boxesT.to(org.sinter.DType.FLOAT64).contiguous().toDoubleArray();
        double[] scores = scoresT.to(org.sinter.DType.FLOAT64).contiguous().toDoubleArray();
        List<long[]> kept = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            double[][] corners = new double[count][];
            for (int i = 0; i < count; i++) corners[i] = corners(boxes, (b * count + i) * 4, center);
            for (int c = 0; c < classes; c++) {
                int base = (b * classes + c) * count;
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < count; i++) if (!hasScoreThreshold || scores[base + i] > scoreThreshold) candidates.add(i);
                candidates.sort(Comparator.comparingDouble((Integer i) -> -scores[base + i]).thenComparingInt(i -> i));
                List<Integer> selected = new ArrayList<>();
                for (int i : candidates) {
                    if (selected.size() >= maxOut) break;
                    boolean suppressed = false;
                    for (int s : selected) {
                        if (iou(corners[i], corners[s]) > iouThreshold) {
                            suppressed = true;
                            break;
                        }
                    }
                    if (!suppressed) {
                        selected.add(i);
                        kept.add(new long[] {b, c, i});
                    }
                }
            }
        }
        long[] out = new long[kept.size() * 3];
        for (int k = 0; k < kept.size(); k++) System.arraycopy(kept.get(k), 0, out, 3 * k, 3);
        return new Tensor[] {kept.isEmpty() ? Tensor.zeros(org.sinter.DType.INT64, 0, 3) : Tensor.of(out, kept.size(), 3)};
    }

    private static long scalar(long[] v, NodeContext n, String what) {
        if (v.length != 1) throw n.error(what + " must hold one value, got " + v.length);
        return v[0];
    }

    private static double scalarD(double[] v, NodeContext n, String what) {
        if (v.length != 1) throw n.error(what + " must hold one value, got " + v.length);
        return v[0];
    }

    /** (ymin, xmin, ymax, xmax) of box {@code at}: corners in either order, or (x centre, y centre, width, height). */
    private static double[] corners(double[] b, int at, boolean center) {
        if (center) {
            double xc = b[at], yc = b[at + 1], w = b[at + 2], h = b[at + 3];
            return new double[] {yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2};
        }
        return new double[] {Math.min(b[at], b[at + 2]), Math.min(b[at + 1], b[at + 3]), Math.max(b[at], b[at + 2]), Math.max(b[at + 1], b[at + 3])};
    }

    private static double iou(double[] a, double[] b) {
        double areaA = (a[2] - a[0]) * (a[3] - a[1]), areaB = (b[2] - b[0]) * (b[3] - b[1]);
        if (areaA <= 0 || areaB <= 0) return 0;
        double h = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double w = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = h * w;
        return inter / (areaA + areaB - inter);
    }
}
