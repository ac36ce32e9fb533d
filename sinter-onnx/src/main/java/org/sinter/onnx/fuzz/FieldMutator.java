package org.sinter.onnx.fuzz;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.StringStringEntryProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.TensorShapeProto;
import org.sinter.onnx.proto.Onnx.TypeProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/**
 * Structural mutations of a valid ONNX model, one protobuf field at a time: the dims, element type
 * and data of initializers; the declared types and shapes of graph inputs; attribute values,
 * types and presence; node inputs dropped, dangling or pointing forward (cycles); operator types,
 * domains and opsets; nodes dropped or duplicated; graph outputs removed or renamed; integer
 * constants set to extreme values (huge shapes, negative sizes). Each mutation names itself, so a
 * failing case can be reproduced from the seed and its description.
 */
public final class FieldMutator {
    /** The mutation kinds, in the order {@link #mutate} picks from. */
    public static final List<String> KINDS = List.of("initializer-dims", "initializer-type", "initializer-data", "input-shape", "input-type",
            "attribute", "drop-input", "dangling-input", "cycle", "op-type", "drop-node", "duplicate-node", "opset", "graph-output", "extreme-ints");

    private static final long[] EXTREME = {0, -1, 1, 2, 3, -7, 1L << 31, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final List<String> OPS = List.of("Relu", "Add", "MatMul", "Conv", "Reshape", "Gather", "Loop", "If", "Scan", "Concat", "Slice",
            "ConstantOfShape", "Expand", "Tile", "Pad", "Resize", "TopK", "NonZero", "SequenceAt", "Unique", "Einsum", "NoSuchOp", "");

    private final Random random;

    public FieldMutator(long seed) {
        this.random = new Random(seed);
    }

    /** One mutated copy of {@code model} with {@code count} mutations; {@code applied} receives their descriptions. */
    public ModelProto mutate(ModelProto model, int count, List<String> applied) {
        ModelProto.Builder m = model.toBuilder();
        for (int i = 0; i < count; i++) {
            // A kind that does not apply (no initializers, no attributes...) falls through to the next.
            int start = random.nextInt(KINDS.size());
            for (int k = 0; k < KINDS.size(); k++) {
                String kind = KINDS.get((start + k) % KINDS.size());
                String what = apply(kind, m);
                if (what != null) {
                    applied.add(kind + ": " + what);
                    break;
                }
            }
        }
        return m.build();
    }

    private String apply(String kind, ModelProto.Builder m) {
        GraphProto.Builder g = m.getGraphBuilder();
        return switch (kind) {
            case "initializer-dims" -> initializerDims(g);
            case "initializer-type" -> initializerType(g);
            case "initializer-data" -> initializerData(g);
            case "input-shape" -> inputShape(g);
            case "input-type" -> inputType(g);
            case "attribute" -> attribute(g);
            case "drop-input" -> dropInput(g);
            case "dangling-input" -> danglingInput(g);
            case "cycle" -> cycle(g);
            case "op-type" -> opType(g);
            case "drop-node" -> dropNode(g);
            case "duplicate-node" -> duplicateNode(g);
            case "opset" -> opset(m);
            case "graph-output" -> graphOutput(g);
            case "extreme-ints" -> extremeInts(g);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private long extreme() {
        return EXTREME[random.nextInt(EXTREME.length)];
    }

    private String initializerDims(GraphProto.Builder g) {
        if (g.getInitializerCount() == 0) return null;
        int i = random.nextInt(g.getInitializerCount());
        TensorProto.Builder t = g.getInitializerBuilder(i);
        switch (random.nextInt(3)) {
            case 0 -> {
                if (t.getDimsCount() == 0) { t.addDims(extreme()); return "'" + t.getName() + "' gains a dim"; }
                int d = random.nextInt(t.getDimsCount());
                long v = random.nextBoolean() ? extreme() : t.getDims(d) + 1;
                t.setDims(d, v);
                return "'" + t.getName() + "' dims[" + d + "] = " + v;
            }
            case 1 -> { t.addDims(1 + random.nextInt(3)); return "'" + t.getName() + "' gains a dim"; }
            default -> {
                List<Long> dims = new ArrayList<>(t.getDimsList());
                if (!dims.isEmpty()) dims.remove(random.nextInt(dims.size()));
                t.clearDims().addAllDims(dims);
                return "'" + t.getName() + "' loses a dim";
            }
        }
    }

    private String initializerType(GraphProto.Builder g) {
        if (g.getInitializerCount() == 0) return null;
        TensorProto.Builder t = g.getInitializerBuilder(random.nextInt(g.getInitializerCount()));
        int type = random.nextInt(5) == 0 ? 99 : random.nextInt(17);
        t.setDataType(type);
        return "'" + t.getName() + "' data_type = " + type;
    }

    private String initializerData(GraphProto.Builder g) {
        if (g.getInitializerCount() == 0) return null;
        TensorProto.Builder t = g.getInitializerBuilder(random.nextInt(g.getInitializerCount()));
        switch (random.nextInt(4)) {
            case 0 -> {
                ByteString raw = t.getRawData();
                t.setRawData(raw.substring(0, raw.isEmpty() ? 0 : random.nextInt(raw.size())));
                return "'" + t.getName() + "' raw_data truncated";
            }
            case 1 -> { t.clearRawData().clearFloatData().clearInt64Data().clearInt32Data(); return "'" + t.getName() + "' data removed"; }
            case 2 -> {
                t.setDataLocation(TensorProto.DataLocation.EXTERNAL).addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("missing.bin"));
                return "'" + t.getName() + "' external data in a missing file";
            }
            default -> {
                t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(random.nextBoolean() ? "../../etc/passwd" : "/dev/zero"))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(extreme())));
                return "'" + t.getName() + "' external data outside the model's directory";
            }
        }
    }

    private String inputShape(GraphProto.Builder g) {
        if (g.getInputCount() == 0) return null;
        ValueInfoProto.Builder v = g.getInputBuilder(random.nextInt(g.getInputCount()));
        TypeProto.Tensor.Builder t = v.getTypeBuilder().getTensorTypeBuilder();
        TensorShapeProto.Builder s = t.getShapeBuilder();
        switch (random.nextInt(4)) {
            case 0 -> {
                if (s.getDimCount() == 0) { s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(extreme())); return "'" + v.getName() + "' gains a dim"; }
                int d = random.nextInt(s.getDimCount());
                long val = extreme();
                s.setDim(d, TensorShapeProto.Dimension.newBuilder().setDimValue(val));
                return "'" + v.getName() + "' dim " + d + " = " + val;
            }
            case 1 -> { s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n")); return "'" + v.getName() + "' gains a named dim"; }
            case 2 -> { t.clearShape(); return "'" + v.getName() + "' shape cleared"; }
            default -> {
                if (s.getDimCount() == 0) return null;
                s.removeDim(random.nextInt(s.getDimCount()));
                return "'" + v.getName() + "' loses a dim";
            }
        }
    }

    private String inputType(GraphProto.Builder g) {
        if (g.getInputCount() == 0) return null;
        ValueInfoProto.Builder v = g.getInputBuilder(random.nextInt(g.getInputCount()));
        switch (random.nextInt(3)) {
            case 0 -> {
                int type = random.nextInt(5) == 0 ? 99 : random.nextInt(17);
                v.getTypeBuilder().getTensorTypeBuilder().setElemType(type);
                return "'" + v.getName() + "' elem_type = " + type;
            }
            case 1 -> {
                v.getTypeBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
                return "'" + v.getName() + "' becomes a sequence";
            }
            default -> { v.clearType(); return "'" + v.getName() + "' type cleared"; }
        }
    }

    private String attribute(GraphProto.Builder g) {
        List<Integer> withAttrs = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) if (g.getNode(i).getAttributeCount() > 0) withAttrs.add(i);
        if (withAttrs.isEmpty()) return null;
        NodeProto.Builder n = g.getNodeBuilder(withAttrs.get(random.nextInt(withAttrs.size())));
        int ai = random.nextInt(n.getAttributeCount());
        AttributeProto.Builder a = n.getAttributeBuilder(ai);
        String where = "node '" + n.getName() + "' (" + n.getOpType() + ") attribute '" + a.getName() + "'";
        switch (random.nextInt(6)) {
            case 0 -> { long v = extreme(); a.setI(v); return where + " i = " + v; }
            case 1 -> {
                if (a.getIntsCount() == 0) { a.addInts(extreme()); return where + " gains an int"; }
                int k = random.nextInt(a.getIntsCount());
                long v = extreme();
                a.setInts(k, v);
                return where + " ints[" + k + "] = " + v;
            }
            case 2 -> {
                float f = new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1f, 0f, 1e30f}[random.nextInt(5)];
                a.setF(f);
                return where + " f = " + f;
            }
            case 3 -> {
                int type = random.nextInt(15);
                a.setType(AttributeProto.AttributeType.forNumber(type) == null ? AttributeProto.AttributeType.UNDEFINED : AttributeProto.AttributeType.forNumber(type));
                return where + " type = " + a.getType();
            }
            case 4 -> { n.removeAttribute(ai); return where + " removed"; }
            default -> { a.setS(ByteString.copyFromUtf8("\u0000garbage\uffff")); return where + " s = garbage"; }
        }
    }

    private int nodeWithInputs(GraphProto.Builder g) {
        List<Integer> with = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) if (g.getNode(i).getInputCount() > 0) with.add(i);
        return with.isEmpty() ? -1 : with.get(random.nextInt(with.size()));
    }

    private String dropInput(GraphProto.Builder g) {
        int i = nodeWithInputs(g);
        if (i < 0) return null;
        NodeProto.Builder n = g.getNodeBuilder(i);
        int k = random.nextInt(n.getInputCount());
        if (random.nextBoolean()) {
            n.setInput(k, "");
            return "node '" + n.getName() + "' (" + n.getOpType() + ") input " + k + " emptied";
        }
        List<String> rest = new ArrayList<>(n.getInputList());
        rest.remove(k);
        n.clearInput().addAllInput(rest);
        return "node '" + n.getName() + "' (" + n.getOpType() + ") input " + k + " removed";
    }

    private String danglingInput(GraphProto.Builder g) {
        int i = nodeWithInputs(g);
        if (i < 0) return null;
        NodeProto.Builder n = g.getNodeBuilder(i);
        int k = random.nextInt(n.getInputCount());
        n.setInput(k, "nowhere_" + random.nextInt(100));
        return "node '" + n.getName() + "' (" + n.getOpType() + ") input " + k + " dangling";
    }

    private String cycle(GraphProto.Builder g) {
        if (g.getNodeCount() == 0) return null;
        int early = random.nextInt(g.getNodeCount()), late = early + random.nextInt(g.getNodeCount() - early);
        NodeProto.Builder a = g.getNodeBuilder(early);
        NodeProto b = g.getNode(late);
        if (b.getOutputCount() == 0) return null;
        String out = b.getOutput(0);
        if (a.getInputCount() == 0) a.addInput(out);
        else a.setInput(random.nextInt(a.getInputCount()), out);
        return "node '" + a.getName() + "' (" + a.getOpType() + ") reads '" + out + "' of node " + late + (early == late ? " (itself)" : "");
    }

    private String opType(GraphProto.Builder g) {
        if (g.getNodeCount() == 0) return null;
        NodeProto.Builder n = g.getNodeBuilder(random.nextInt(g.getNodeCount()));
        String before = n.getOpType();
        if (random.nextInt(4) == 0) {
            n.setDomain(random.nextBoolean() ? "com.example" : "ai.onnx.ml");
            return "node '" + n.getName() + "' (" + before + ") domain = " + n.getDomain();
        }
        n.setOpType(OPS.get(random.nextInt(OPS.size())));
        return "node '" + n.getName() + "' " + before + " -> " + n.getOpType();
    }

    private String dropNode(GraphProto.Builder g) {
        if (g.getNodeCount() == 0) return null;
        int i = random.nextInt(g.getNodeCount());
        String what = "node " + i + " (" + g.getNode(i).getOpType() + ") removed";
        g.removeNode(i);
        return what;
    }

    private String duplicateNode(GraphProto.Builder g) {
        if (g.getNodeCount() == 0) return null;
        int i = random.nextInt(g.getNodeCount());
        g.addNode(g.getNode(i));
        return "node " + i + " (" + g.getNode(i).getOpType() + ") duplicated";
    }

    private String opset(ModelProto.Builder m) {
        if (m.getOpsetImportCount() == 0) return null;
        long v = new long[] {0, 1, 6, 7, 11, 13, 17, 21, 22, 1000, -1}[random.nextInt(11)];
        m.getOpsetImportBuilder(0).setVersion(v);
        return "opset = " + v;
    }

    private String graphOutput(GraphProto.Builder g) {
        if (g.getOutputCount() == 0) return null;
        int i = random.nextInt(g.getOutputCount());
        if (random.nextBoolean()) {
            g.removeOutput(i);
            return "graph output " + i + " removed";
        }
        g.getOutputBuilder(i).setName("undefined_" + i);
        return "graph output " + i + " renamed to an undefined name";
    }

    /** An int64 constant (an initializer or a Constant node's value: shapes, axes, bounds) gets an extreme element. */
    private String extremeInts(GraphProto.Builder g) {
        List<TensorProto.Builder> ints = new ArrayList<>();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (isInt64(g.getInitializer(i))) ints.add(g.getInitializerBuilder(i));
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (int a = 0; a < n.getAttributeCount(); a++) {
                if (n.getAttribute(a).hasT() && isInt64(n.getAttribute(a).getT())) ints.add(g.getNodeBuilder(i).getAttributeBuilder(a).getTBuilder());
            }
        }
        if (ints.isEmpty()) return null;
        TensorProto.Builder t = ints.get(random.nextInt(ints.size()));
        long v = extreme();
        int k;
        if (t.getRawData().size() >= 8) {
            byte[] raw = t.getRawData().toByteArray();
            k = random.nextInt(raw.length / 8);
            java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(8 * k, v);
            t.setRawData(ByteString.copyFrom(raw));
        } else {
            k = random.nextInt(t.getInt64DataCount());
            t.setInt64Data(k, v);
        }
        return "int64 constant '" + t.getName() + "'[" + k + "] = " + v;
    }

    private static boolean isInt64(TensorProto t) {
        return t.getDataType() == TensorProto.DataType.INT64_VALUE && (t.getRawData().size() >= 8 || t.getInt64DataCount() > 0);
    }
}
