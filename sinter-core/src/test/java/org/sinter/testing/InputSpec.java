package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * One input of a fixture case: its logical values, and the layout in which the op must see them.
 * Builds the contiguous leaf (which requires grad when the fixture says so) and the view over it,
 * as tools/fixtures/README.md says: contiguous; transposed (leaf has the last two dims swapped,
 * then transpose(-1, -2)); strided (leaf has 2*n+1 rows, then slice(0, 1, 2n+1, 2)); expanded
 * (leaf has size 1 at expandDim, then expand(shape)). Leaves come from a {@link TensorFactory}.
 */
public record InputSpec(TensorData data, String layout, int expandDim, boolean grad, String domain, double[] kinks) {

    /** The leaf a test differentiates and the view the op is called on. */
    public record Built(Tensor leaf, Tensor view) {}

    public static InputSpec parse(JsonNode node) {
        JsonNode k = node.get("kinks");
        double[] kinks = new double[k == null ? 0 : k.size()];
        for (int i = 0; i < kinks.length; i++) kinks[i] = Attrs.number(k.get(i));
        return new InputSpec(TensorData.parse(node), node.get("layout").asText(),
                node.has("expandDim") ? node.get("expandDim").asInt() : -1,
                node.get("grad").asBoolean(), node.get("domain").asText(), kinks);
    }

    /** The logical shape: what the op sees. */
    public int[] shape() { return data.shape(); }

    public TensorMeta meta() { return data.meta(); }

    /** The leaf's shape, from which the layout's view is taken. */
    public int[] baseShape() {
        int[] s = data.shape().clone();
        switch (layout) {
            case "contiguous" -> { }
            case "transposed" -> { int n = s.length; int t = s[n - 1]; s[n - 1] = s[n - 2]; s[n - 2] = t; }
            case "strided" -> s[0] = 2 * s[0] + 1;
            case "expanded" -> s[expandDim] = 1;
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        }
        return s;
    }

    /** For each element of the leaf (row-major), the logical element it holds, or -1 (filler). */
    public int[] baseToLogical() {
        int[] shape = data.shape();
        int[] map = new int[TensorMeta.numel(baseShape())];
        switch (layout) {
            case "contiguous" -> { for (int i = 0; i < map.length; i++) map[i] = i; }
            case "transposed" -> {
                int n = shape.length, rows = shape[n - 2], cols = shape[n - 1], mat = rows * cols;
                // leaf[b, j, i] = logical[b, i, j]
                for (int i = 0; i < map.length; i++) {
                    int b = mat == 0 ? 0 : i / mat, r = i - b * mat, j = r / rows, k = r % rows;
                    map[i] = b * mat + k * cols + j;
                }
            }
            case "strided" -> {
                int row = TensorMeta.numel(shape) / Math.max(shape[0], 1);
                for (int i = 0; i < map.length; i++) {
                    int r = row == 0 ? 0 : i / row;
                    map[i] = r % 2 == 1 ? (r / 2) * row + i % row : -1;
                }
            }
            case "expanded" -> {
                int inner = 1;
                for (int d = expandDim + 1; d < shape.length; d++) inner *= shape[d];
                int size = shape[expandDim];
                for (int i = 0; i < map.length; i++) map[i] = (i / inner) * size * inner + i % inner;
            }
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        }
        return map;
    }

    /** The fixture's float values at their places in the leaf, {@code filler} elsewhere. */
    public double[] leafValues(double filler) {
        int[] map = baseToLogical();
        double[] f = new double[map.length];
        for (int i = 0; i < map.length; i++) f[i] = map[i] >= 0 ? data.floats()[map[i]] : filler;
        return f;
    }

    /** Fresh float64 leaf values from the input's domain, clear of its kinks (for finite differences). */
    public double[] randomLeafValues(Random rnd) {
        return Domains.sample(rnd, domain, kinks, TensorMeta.numel(baseShape()));
    }

    /** Leaf and view holding the fixture's values, on the CPU. */
    public Built build() { return build(TensorFactory.CPU); }

    /**
     * Leaf and view holding the fixture's values. Filler is NaN for floats, so an op that reads
     * outside its view shows it; 0 for integers and bools.
     */
    public Built build(TensorFactory factory) {
        if (data.isFloat()) return fromLeaf(factory.create(new TensorData(data.dtype(), baseShape(), leafValues(Double.NaN), null)));
        int[] map = baseToLogical();
        long[] l = new long[map.length];
        for (int i = 0; i < map.length; i++) l[i] = map[i] >= 0 ? data.ints()[map[i]] : 0;
        return fromLeaf(factory.create(new TensorData(data.dtype(), baseShape(), null, l)));
    }

    /** A float64 leaf holding {@code leafValues} (row-major, of {@link #baseShape()}) and its view. */
    public Built buildFloat64(TensorFactory factory, double[] leafValues) {
        return fromLeaf(factory.create(new TensorData(DType.FLOAT64, baseShape(), leafValues, null)));
    }

    /** Marks {@code leaf} as requiring grad when this input does, and takes the layout's view of it. */
    public Built fromLeaf(Tensor leaf) {
        if (grad) leaf.requiresGrad(true);
        return new Built(leaf, view(leaf));
    }

    /** The layout's view of a leaf (or of anything shaped like one, such as its gradient). */
    public Tensor view(Tensor leaf) {
        int[] shape = data.shape();
        return switch (layout) {
            case "contiguous" -> leaf;
            case "transposed" -> leaf.transpose(-1, -2);
            case "strided" -> leaf.slice(0, 1, 2 * shape[0] + 1, 2);
            case "expanded" -> leaf.expand(shape);
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        };
    }

    /** The leaf's gradient as the fixture stores it: through the view, except for expanded. */
    public Tensor gradSeenThroughLayout(Tensor leafGrad) {
        return layout.equals("expanded") ? leafGrad : view(leafGrad);
    }

    /** Like {@code float32[2, 3] transposed grad}. */
    public String describe() {
        return data.describe() + (layout.equals("contiguous") ? "" : " " + layout) + (grad ? " grad" : "");
    }
}
