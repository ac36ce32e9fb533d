package org.sinter.compress.quant.export;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.QuantizedSequential;
import org.sinter.compress.quant.nn.FloatFallback;
import org.sinter.compress.quant.nn.QuantStage;
import org.sinter.compress.quant.nn.QuantizedConv2d;
import org.sinter.compress.quant.nn.QuantizedLinear;
import org.sinter.compress.quant.nn.QuantizedMaxPool2d;
import org.sinter.compress.quant.nn.QuantizedReLU;
import org.sinter.compress.quant.nn.QuantizedReshape;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.onnx.export.ExportOptions;
import org.sinter.onnx.export.OnnxExport;
import org.sinter.onnx.export.QdqOps;
import org.sinter.onnx.proto.Onnx.ModelProto;

/**
 * A converted int8 model as an ONNX QDQ model, the form ONNX Runtime and TensorRT read as int8:
 * every 8-bit activation becomes a QuantizeLinear with the calibrated scale and zero point followed
 * by a DequantizeLinear, every int8 weight a constant behind a DequantizeLinear (per output channel
 * where the model quantized it so), and the layers between are the float operators (a fused ReLU
 * stays a Relu before the next QuantizeLinear). A runtime that fuses the pattern computes what
 * Sinter's int8 kernels compute, up to the rounding of its requantization; one that does not runs
 * the float operators on the dequantized values, with the same quantization points.
 */
public final class QdqExport {
    private final QuantizedSequential model;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private final Map<Key, Tensor> constants = new HashMap<>();

    /** A constant's source (qparams by value; weight and bias arrays by identity) and its role. */
    private record Key(Object source, String role) {}

    private QdqExport(QuantizedSequential model) {
        this.model = model;
    }

    /** Writes {@code model}'s QDQ form for inputs shaped like {@code example} (the batch dimension dynamic when the options say so). */
    public static ModelProto save(QuantizedSequential model, Tensor example, Path path, ExportOptions options) {
        QdqExport e = new QdqExport(model);
        Function<Tensor[], Tensor[]> fn = in -> new Tensor[] {e.forward(in[0])};
        // One eager call names every constant before tracing starts: the tracer needs the whole state up front.
        try (var _ = Sinter.noGrad()) {
            fn.apply(new Tensor[] {example});
        }
        return OnnxExport.save(fn, e.state, new Tensor[] {example}, path, options);
    }

    /** The QDQ graph run eagerly: what ONNX Runtime computes without fusing the pattern. */
    public static Tensor reference(QuantizedSequential model, Tensor x) {
        try (var _ = Sinter.noGrad()) {
            return new QdqExport(model).forward(x);
        }
    }

    /** An 8-bit activation: its values (int32 holding 8-bit numbers) and qparams. */
    private record Q8(Tensor values, QParams qparams) {}

    private Tensor forward(Tensor x) {
        Q8 q = quantize(x, model.inputQparams(), "input");
        int i = 0;
        for (QuantStage s : model.stages()) q = stage(s, q, "layer" + i++);
        Tensor y;
        if (model.last() != null) {
            QuantizedLinear l = model.last();
            y = linear(dequantize(q, "layer" + i), l, "layer" + i);
        } else {
            y = dequantize(q, "output");
        }
        for (Module m : model.tail()) y = m.forward(y);
        return y;
    }

    private Q8 stage(QuantStage s, Q8 q, String name) {
        return switch (s) {
            case QuantizedConv2d c -> {
                QuantizedConv2d.Geometry g = c.geometry();
                Tensor y = F.conv2d(dequantize(q, name), weight(g.weight(), name), bias(c, g.bias(), name), g.stride(), g.padding(), g.dilation(), 1);
                yield quantize(g.relu() ? y.relu() : y, g.outQ(), name);
            }
            case QuantizedLinear l -> quantize(linear(dequantize(q, name), l, name), l.outQ(), name);
            // Max pooling, ReLU and flattening keep the qparams; as float operators between the same quantization points they are exact.
            case QuantizedMaxPool2d p -> {
                int[][] w = p.window();
                yield quantize(F.maxPool2d(dequantize(q, name), w[0], w[1], w[2], w[3], false), q.qparams(), name);
            }
            case QuantizedReLU r -> quantize(dequantize(q, name).relu(), q.qparams(), name);
            case QuantizedReshape r -> quantize(dequantize(q, name).flatten(r.startDim(), r.endDim()), q.qparams(), name);
            case FloatFallback f -> quantize(f.module().forward(dequantize(q, name)), f.outQ(), name);
            default -> throw new IllegalArgumentException("QDQ export: no ONNX form for the stage " + s.describe());
        };
    }

    private Tensor linear(Tensor x, QuantizedLinear l, String name) {
        if (x.dim() > 2) x = x.flatten(0, x.dim() - 2);
        Tensor y = F.linear(x, weight(l.weight(), name), bias(l, l.bias(), name));
        return l.relu() ? y.relu() : y;
    }

    private Q8 quantize(Tensor x, QParams p, String name) {
        Tensor[] sz = qparams(p, name + "_out");
        return new Q8(QdqOps.quantizeLinear(x, sz[0], sz[1], Math.max(p.axis(), 0), unsigned(p)), p);
    }

    private Tensor dequantize(Q8 q, String name) {
        Tensor[] sz = qparams(q.qparams(), name + "_in");
        return QdqOps.dequantizeLinear(q.values(), sz[0], sz[1], Math.max(q.qparams().axis(), 0), unsigned(q.qparams()));
    }

    private Tensor weight(QTensor w, String name) {
        Tensor values = constant(w, "weight", name + "_weight_q", () -> Tensor.of(w.intRepr(), w.shape()));
        Tensor[] sz = qparams(w.qparams(), name + "_weight");
        return QdqOps.dequantizeLinear(values, sz[0], sz[1], Math.max(w.qparams().axis(), 0), unsigned(w.qparams()));
    }

    /** {@code layer}'s float bias (the layer, not the array, identifies it: accessors may hand out copies). */
    private Tensor bias(Object layer, float[] b, String name) {
        return b == null ? null : constant(layer, "bias", name + "_bias", () -> Tensor.of(b, b.length));
    }

    /** Scale (float32) and zero point (int32): 0-d per tensor, 1-D per channel. */
    private Tensor[] qparams(QParams p, String name) {
        Tensor scale = constant(p, "scale", name + "_scale", () -> p.isPerChannel() ? Tensor.of(p.scale(), p.channels()) : Tensor.scalar(p.scale(0), DType.FLOAT32));
        Tensor zero = constant(p, "zero_point", name + "_zero_point", () -> p.isPerChannel() ? Tensor.of(p.zeroPoint(), p.channels()) : Tensor.scalar(p.zeroPoint(0), DType.INT32));
        return new Tensor[] {scale, zero};
    }

    private static boolean unsigned(QParams p) {
        return p.dtype().min() == 0;
    }

    /** The same tensor for the same source and role on every call, so every trace sees one initializer per constant. */
    private Tensor constant(Object source, String role, String name, java.util.function.Supplier<Tensor> make) {
        Key key = new Key(source, role);
        Tensor t = constants.get(key);
        if (t == null) {
            t = make.get();
            constants.put(key, t);
            String unique = name;
            for (int k = 1; state.containsKey(unique); k++) unique = name + "_" + k;
            state.put(unique, t);
        }
        return t;
    }
}
