package org.sinter.onnx.export;

import static org.sinter.onnx.export.GraphWriter.attr;
import static org.sinter.onnx.export.GraphWriter.list;

import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.onnx.proto.Onnx.TensorProto.DataType;

/**
 * {@link QdqOps}' nodes as ONNX QuantizeLinear/DequantizeLinear. ONNX reads the quantized type from
 * the zero point's element type, so zero points (and quantized constants, such as int8 weights)
 * are written as int8 or uint8 initializers; a quantized value that is computed is cast to that type.
 */
final class QdqExport {
    private QdqExport() {}

    static String quantize(OpLowering l, Graph graph, Node n, QdqOps.QuantizeLinear q) {
        GraphWriter w = l.writer();
        String x = l.name(n.inputs().get(0)), scale = l.name(n.inputs().get(1));
        String zp = bytes(l, graph, n, n.inputs().get(2), q.unsigned(), true);
        String raw = n.inputs().get(1).shape().length == 1 ? w.node1("QuantizeLinear", list(x, scale, zp), attr("axis", q.axis()))
                : w.node1("QuantizeLinear", list(x, scale, zp));
        // Sinter's value is int32 (holding 8-bit numbers): other consumers and graph outputs read that; a DequantizeLinear reads the raw one.
        l.rawQuantized(n.output(), raw);
        return w.cast(raw, org.sinter.DType.INT32);
    }

    static String dequantize(OpLowering l, Graph graph, Node n, QdqOps.DequantizeLinear d) {
        GraphWriter w = l.writer();
        String q = bytes(l, graph, n, n.inputs().get(0), d.unsigned(), false);
        String scale = l.name(n.inputs().get(1));
        String zp = bytes(l, graph, n, n.inputs().get(2), d.unsigned(), true);
        return n.inputs().get(1).shape().length == 1 ? w.node1("DequantizeLinear", list(q, scale, zp), attr("axis", d.axis()))
                : w.node1("DequantizeLinear", list(q, scale, zp));
    }

    /** An 8-bit operand: a constant written as an int8/uint8 initializer, the output of a QuantizeLinear as is, else a Cast. */
    private static String bytes(OpLowering l, Graph graph, Node n, Value v, boolean unsigned, boolean mustBeConstant) {
        Graph.Parameter p = graph.parameter(v);
        if (p != null && p.tensor() != null && !p.tensor().isMeta()) {
            Tensor t = p.tensor().contiguous();
            int[] values = t.toIntArray();
            int lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
            for (int x : values) {
                if (x < lo || x > hi) throw l.refuse(n, "the 8-bit operand '" + p.name() + "' holds " + x + ", outside " + (unsigned ? "uint8" : "int8"));
            }
            return l.writer().byteTensor(t.shape(), values, unsigned);
        }
        if (mustBeConstant) throw l.refuse(n, "the zero point must be a constant (ONNX reads the quantized type from its initializer)");
        if (l.rawQuantized(v) != null) return l.rawQuantized(v);
        return l.writer().node1("Cast", l.name(v), attr("to", unsigned ? DataType.UINT8_VALUE : DataType.INT8_VALUE));
    }
}
