package org.sinter.nn.functional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Reads {@code fixtures/nn_functional.json.gz}, written by tools/fixtures/gen_nn_functional.py in
 * the core harness's "sinter-op-fixtures" v1 format (tools/fixtures/README.md): cases with
 * attributes, inputs (values, layout, grad flag), outputs, upstream gradients and expected input
 * gradients.
 */
final class NnFixtures {
    static final String RESOURCE = "/fixtures/nn_functional.json.gz";

    /** Values as the fixture stores them: floats as doubles (exact for float32), ints as longs. */
    record Data(DType dtype, int[] shape, double[] floats, long[] ints) {
        static Data parse(JsonNode n) {
            DType dt = switch (n.get("dtype").asText()) {
                case "float32" -> DType.FLOAT32;
                case "float64" -> DType.FLOAT64;
                case "int32" -> DType.INT32;
                case "int64" -> DType.INT64;
                case "bool" -> DType.BOOL;
                default -> throw new IllegalArgumentException("fixture dtype " + n.get("dtype"));
            };
            int[] shape = new int[n.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = n.get("shape").get(i).asInt();
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(n.get("data").asText())).order(ByteOrder.LITTLE_ENDIAN);
            int count = b.remaining() / dt.itemSize();
            double[] f = null;
            long[] l = null;
            switch (dt) {
                case FLOAT32 -> { f = new double[count]; for (int i = 0; i < count; i++) f[i] = b.getFloat(); }
                case FLOAT64 -> { f = new double[count]; for (int i = 0; i < count; i++) f[i] = b.getDouble(); }
                case INT32 -> { l = new long[count]; for (int i = 0; i < count; i++) l[i] = b.getInt(); }
                case INT64 -> { l = new long[count]; for (int i = 0; i < count; i++) l[i] = b.getLong(); }
                default -> { l = new long[count]; for (int i = 0; i < count; i++) l[i] = b.get(); }
            }
            return new Data(dt, shape, f, l);
        }

        boolean isFloat() { return floats != null; }

        /** A contiguous tensor of {@code shape} with these values in {@code dt} (floats) or the own dtype. */
        Tensor toTensor(DType dt, int[] shape, double[] values) {
            if (isFloat()) {
                if (shape.length == 0) return Tensor.scalar(values[0], dt);
                if (dt == DType.FLOAT64) return Tensor.of(values.clone(), shape);
                float[] a = new float[values.length];
                for (int i = 0; i < a.length; i++) a[i] = (float) values[i];
                return Tensor.of(a, shape);
            }
            if (shape.length == 0) return Tensor.scalar(ints[0], dtype);
            return switch (dtype) {
                case INT64 -> Tensor.of(ints.clone(), shape);
                case INT32 -> Tensor.of(Arrays.stream(ints).mapToInt(v -> (int) v).toArray(), shape);
                default -> {
                    boolean[] z = new boolean[ints.length];
                    for (int i = 0; i < z.length; i++) z[i] = ints[i] != 0;
                    yield Tensor.of(z, shape);
                }
            };
        }

        Tensor toTensor() { return toTensor(dtype, shape, floats); }
    }

    /** One input: values, the layout of the view the op sees, whether it requires grad, its domain. */
    record Input(Data data, String layout, boolean grad, String domain) {
        /** The leaf (contiguous, maybe requiring grad) and the view the op is called on. */
        Tensor[] build(DType floatType, double[] values) {
            int[] s = data.shape();
            Tensor leaf;
            switch (layout) {
                case "contiguous" -> leaf = data.toTensor(floatType, s, values);
                case "transposed" -> leaf = data.toTensor(floatType, s, values).transpose(-1, -2).contiguous();
                case "strided" -> {
                    int[] base = s.clone();
                    base[0] = 2 * s[0] + 1;
                    leaf = Tensor.zeros(floatType, base);
                    leaf.slice(0, 1, base[0], 2).copy_(data.toTensor(floatType, s, values));
                }
                default -> throw new IllegalArgumentException("layout " + layout + " not used by nn fixtures");
            }
            if (grad) leaf.requiresGrad(true);
            return new Tensor[] {leaf, view(leaf)};
        }

        Tensor view(Tensor leaf) {
            return switch (layout) {
                case "transposed" -> leaf.transpose(-1, -2);
                case "strided" -> leaf.slice(0, 1, 2 * data.shape()[0] + 1, 2);
                default -> leaf;
            };
        }

        Tensor[] build() { return build(data.dtype(), data.floats()); }
    }

    record Case(String id, String op, JsonNode attrs, List<Input> inputs, List<Data> outputs, List<Data> gradOutputs, List<Data> grads) {
        boolean hasBackward() { return gradOutputs.stream().anyMatch(g -> g != null); }
    }

    private static List<Case> loaded;

    private NnFixtures() {}

    static synchronized List<Case> load() {
        if (loaded != null) return loaded;
        try (InputStream raw = NnFixtures.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IllegalStateException("missing " + RESOURCE + "; run /usr/bin/python3 tools/fixtures/gen_nn_functional.py");
            JsonNode root = new ObjectMapper().readTree(new GZIPInputStream(raw));
            if (!"sinter-op-fixtures".equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
                throw new IllegalStateException(RESOURCE + ": not sinter-op-fixtures version 1");
            }
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                List<Input> ins = new ArrayList<>();
                for (JsonNode i : c.get("inputs")) {
                    ins.add(new Input(Data.parse(i), i.get("layout").asText(), i.get("grad").asBoolean(), i.get("domain").asText()));
                }
                cases.add(new Case(c.get("id").asText(), c.get("op").asText(), c.get("attrs"), ins, list(c.get("outputs")),
                        list(c.get("gradOutputs")), list(c.get("grads"))));
            }
            loaded = List.copyOf(cases);
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Data> list(JsonNode arr) {
        List<Data> out = new ArrayList<>();
        for (JsonNode n : arr) out.add(n.isNull() ? null : Data.parse(n));
        return java.util.Collections.unmodifiableList(out);
    }
}
