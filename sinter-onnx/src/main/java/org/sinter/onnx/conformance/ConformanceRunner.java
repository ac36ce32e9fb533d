package org.sinter.onnx.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.ElementTypes;
import org.sinter.onnx.OnnxFile;
import org.sinter.onnx.OnnxModel;
import org.sinter.onnx.TensorProtos;
import org.sinter.onnx.UnsupportedOnnxException;
import org.sinter.onnx.ValueInfo;
import org.sinter.onnx.proto.Onnx.TensorProto;

/**
 * Runs ONNX backend tests through {@link OnnxModel}: loads each model, feeds every data set's
 * inputs, and compares every output with the expected one as ONNX's backend test does: same
 * shape, element type (as Sinter represents it), and {@code |actual - expected| <= atol + rtol·|expected|}
 * elementwise with rtol 1e-3 and atol 1e-7, NaNs in the same places.
 */
public final class ConformanceRunner {
    public static final double RTOL = 1e-3;
    public static final double ATOL = 1e-7;

    public enum Status { PASS, FAIL, UNSUPPORTED, ERROR }

    /** One test's outcome; {@code ops} are the operators its model uses. */
    public record Result(ConformanceCase test, Set<String> ops, Status status, String message, long millis) {}

    private final CompileOptions options;

    public ConformanceRunner(CompileOptions options) {
        this.options = options;
    }

    public Result run(ConformanceCase test) {
        long start = System.nanoTime();
        Set<String> ops = new LinkedHashSet<>();
        try {
            OnnxFile file = OnnxFile.read(test.model());
            ops.addAll(file.opHistogram().keySet());
            OnnxModel model = OnnxModel.load(test.model(), options);
            for (Path data : test.dataSets()) {
                String mismatch = runDataSet(model, data);
                if (mismatch != null) return new Result(test, ops, Status.FAIL, data.getFileName() + ": " + mismatch, ms(start));
            }
            return new Result(test, ops, Status.PASS, "", ms(start));
        } catch (UnsupportedOnnxException e) {
            return new Result(test, ops, Status.UNSUPPORTED, e.getMessage(), ms(start));
        } catch (RuntimeException | IOException | StackOverflowError e) {
            return new Result(test, ops, Status.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), ms(start));
        }
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Runs one data set; null when every output matches, else what differs. */
    static String runDataSet(OnnxModel model, Path data) throws IOException {
        List<ValueInfo> ins = model.inputs();
        Tensor[] inputs = new Tensor[ins.size()];
        for (int i = 0; i < inputs.length; i++) {
            Path p = data.resolve("input_" + i + ".pb");
            TensorProto proto = TensorProto.parseFrom(Files.readAllBytes(p));
            Tensor t = TensorProtos.toTensor(proto, p.getParent(), p.toString());
            // ONNX 1.12's test data holds bfloat16 values as their uint16 bit patterns.
            inputs[i] = ins.get(i).elemType() == TensorProto.DataType.BFLOAT16_VALUE && proto.getDataType() == TensorProto.DataType.UINT16_VALUE
                    ? fromBits(t) : t;
        }
        Tensor[] actual = model.call(inputs);
        for (int i = 0; i < actual.length; i++) {
            Path p = data.resolve("output_" + i + ".pb");
            if (!Files.exists(p)) continue;
            TensorProto proto = TensorProto.parseFrom(Files.readAllBytes(p));
            Tensor expected = TensorProtos.toTensor(proto, null, p.toString());
            if (actual[i].dtype() == DType.BFLOAT16 && proto.getDataType() == TensorProto.DataType.UINT16_VALUE) actual[i] = toBits(actual[i]);
            String why = compare(actual[i], expected, ElementTypes.name(proto.getDataType()));
            if (why != null) return "output " + i + " ('" + model.outputs().get(i).name() + "'): " + why;
        }
        return null;
    }

    /** bfloat16 values from their bit patterns (held as int32). */
    private static Tensor fromBits(Tensor bits) {
        int[] b = bits.toIntArray();
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) f[i] = Float.intBitsToFloat(b[i] << 16);
        return Tensor.of(f, bits.shape()).to(DType.BFLOAT16);
    }

    /** The bit patterns (as int32) of bfloat16 values. */
    private static Tensor toBits(Tensor bf16) {
        float[] f = bf16.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]) >>> 16;
        return Tensor.of(b, bf16.shape());
    }

    /** Null when {@code actual} matches {@code expected} at the suite's tolerances, else the first difference. */
    public static String compare(Tensor actual, Tensor expected, String expectedType) {
        if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
            return "shape " + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape());
        }
        if (actual.dtype() != expected.dtype()) return "type " + actual.dtype() + ", expected " + expectedType + " (" + expected.dtype() + ")";
        if (expected.dtype() == DType.BOOL) {
            boolean[] a = actual.toBooleanArray();
            boolean[] e = expected.toBooleanArray();
            for (int i = 0; i < a.length; i++) if (a[i] != e[i]) return "element " + i + " is " + a[i] + ", expected " + e[i];
            return null;
        }
        if (!expected.isFloatingPoint()) {
            long[] a = actual.toLongArray();
            long[] e = expected.toLongArray();
            for (int i = 0; i < a.length; i++) if (a[i] != e[i]) return "element " + i + " is " + a[i] + ", expected " + e[i];
            return null;
        }
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                if (Double.isNaN(e[i]) != Double.isNaN(a[i])) return "element " + i + " is " + a[i] + ", expected " + e[i];
                continue;
            }
            if (Double.isInfinite(e[i]) || Double.isInfinite(a[i])) {
                if (a[i] != e[i]) return "element " + i + " is " + a[i] + ", expected " + e[i];
                continue;
            }
            if (Math.abs(a[i] - e[i]) > ATOL + RTOL * Math.abs(e[i])) return "element " + i + " is " + a[i] + ", expected " + e[i];
        }
        return null;
    }

    public List<Result> runAll(List<ConformanceCase> tests) {
        List<Result> out = new ArrayList<>();
        for (ConformanceCase t : tests) out.add(run(t));
        return out;
    }
}
