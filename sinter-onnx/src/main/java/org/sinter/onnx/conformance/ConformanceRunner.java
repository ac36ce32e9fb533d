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
import org.sinter.onnx.OnnxOptional;
import org.sinter.onnx.OnnxSequence;
import org.sinter.onnx.OnnxStrings;
import org.sinter.onnx.TensorProtos;
import org.sinter.onnx.UnsupportedOnnxException;
import org.sinter.onnx.ValueInfo;
import org.sinter.onnx.proto.Onnx.OptionalProto;
import org.sinter.onnx.proto.Onnx.SequenceProto;
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
        Object[] inputs = new Object[ins.size()];
        for (int i = 0; i < inputs.length; i++) {
            Path p = data.resolve("input_" + i + ".pb");
            inputs[i] = readValue(ins.get(i), Files.readAllBytes(p), p);
        }
        Object[] actual = model.callValues(inputs);
        for (int i = 0; i < actual.length; i++) {
            Path p = data.resolve("output_" + i + ".pb");
            if (!Files.exists(p)) continue;
            ValueInfo out = model.outputs().get(i);
            String why = out.kind() == ValueInfo.Kind.TENSOR && actual[i] instanceof Tensor t
                    ? compareTensor(t, TensorProto.parseFrom(Files.readAllBytes(p)), p)
                    : compareValue(actual[i], readValue(out, Files.readAllBytes(p), p));
            if (why != null) return "output " + i + " ('" + out.name() + "'): " + why;
        }
        return null;
    }

    /** A test data file as the value {@code info} declares: a TensorProto, SequenceProto or OptionalProto. */
    private static Object readValue(ValueInfo info, byte[] bytes, Path p) throws IOException {
        return switch (info.kind()) {
            case TENSOR -> {
                TensorProto proto = TensorProto.parseFrom(bytes);
                Tensor t = TensorProtos.toTensor(proto, p.getParent(), p.toString());
                // ONNX 1.12's test data holds bfloat16 values as their uint16 bit patterns.
                yield info.elemType() == TensorProto.DataType.BFLOAT16_VALUE && proto.getDataType() == TensorProto.DataType.UINT16_VALUE ? fromBits(t) : t;
            }
            case STRINGS -> TensorProtos.toStrings(TensorProto.parseFrom(bytes), p.toString());
            case SEQUENCE -> sequence(SequenceProto.parseFrom(bytes), p);
            case OPTIONAL -> optional(OptionalProto.parseFrom(bytes), p);
        };
    }

    private static OnnxSequence sequence(SequenceProto s, Path p) {
        List<Object> items = new ArrayList<>();
        for (TensorProto t : s.getTensorValuesList()) items.add(TensorProtos.toTensor(t, null, p.toString()));
        for (SequenceProto q : s.getSequenceValuesList()) items.add(sequence(q, p));
        for (OptionalProto o : s.getOptionalValuesList()) items.add(optional(o, p));
        return new OnnxSequence(items);
    }

    private static OnnxOptional optional(OptionalProto o, Path p) {
        if (o.hasTensorValue()) return new OnnxOptional(TensorProtos.toTensor(o.getTensorValue(), null, p.toString()));
        if (o.hasSequenceValue()) return new OnnxOptional(sequence(o.getSequenceValue(), p));
        if (o.hasOptionalValue()) return new OnnxOptional(optional(o.getOptionalValue(), p));
        return OnnxOptional.EMPTY;
    }

    private static String compareTensor(Tensor actual, TensorProto proto, Path p) {
        Tensor expected = TensorProtos.toTensor(proto, null, p.toString());
        if (actual.dtype() == DType.BFLOAT16 && proto.getDataType() == TensorProto.DataType.UINT16_VALUE) actual = toBits(actual);
        return compare(actual, expected, ElementTypes.name(proto.getDataType()));
    }

    /** Null when the values match (sequences element by element, optionals by presence and value). */
    private static String compareValue(Object actual, Object expected) {
        if (expected instanceof OnnxStrings e) {
            if (!(actual instanceof OnnxStrings a)) return "a " + kindOf(actual) + ", expected a string tensor";
            return a.equals(e) ? null : "got " + a + ", expected " + e;
        }
        if (expected instanceof Tensor e) {
            if (!(actual instanceof Tensor a)) return "a " + kindOf(actual) + ", expected a tensor";
            return compare(a, e, e.dtype().toString());
        }
        if (expected instanceof OnnxSequence e) {
            if (!(actual instanceof OnnxSequence a)) return "a " + kindOf(actual) + ", expected a sequence";
            if (a.size() != e.size()) return "a sequence of " + a.size() + ", expected " + e.size();
            for (int i = 0; i < a.size(); i++) {
                String why = compareValue(a.items().get(i), e.items().get(i));
                if (why != null) return "element " + i + ": " + why;
            }
            return null;
        }
        OnnxOptional e = (OnnxOptional) expected;
        if (!(actual instanceof OnnxOptional a)) {
            // An optional output may be produced as its plain value.
            return e.isPresent() ? compareValue(actual, e.value()) : "a " + kindOf(actual) + ", expected an empty optional";
        }
        if (a.isPresent() != e.isPresent()) return a.isPresent() ? "a value, expected an empty optional" : "empty, expected a value";
        return e.isPresent() ? compareValue(a.value(), e.value()) : null;
    }

    private static String kindOf(Object o) {
        return o instanceof OnnxSequence ? "sequence" : o instanceof OnnxOptional ? "optional" : o instanceof OnnxStrings ? "string tensor" : "tensor";
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
