package org.sinter.onnx.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * The three judges of an exported model: ONNX's own checker (Debian's python3-onnx, with
 * {@code full_check}: types and shapes inferred through every node), ONNX Runtime, and Sinter's
 * importer. Public so the CLI's zoo test uses the same checks.
 */
public final class ExportChecks {
    private ExportChecks() {}

    /** Whether {@code /usr/bin/python3} has the onnx package. */
    public static boolean checkerAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code onnx.checker.check_model(path, full_check=True)}; skips the test where python3-onnx is absent. */
    public static void check(Path model) {
        Assumptions.assumeTrue(checkerAvailable(), "python3-onnx is not installed (apt-get install python3-onnx): onnx.checker skipped");
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import sys, onnx; onnx.checker.check_model(sys.argv[1], full_check=True); print('ok')", model.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0 || !out.contains("ok")) fail("onnx.checker rejects " + model + ":\n" + out);
        } catch (IOException e) {
            fail("cannot run the ONNX checker: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** The model's outputs from ONNX Runtime (CPU, one thread), in graph order. */
    public static List<Tensor> runOrt(Path model, Map<String, Tensor> feeds) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), so)) {
                Map<String, OnnxTensor> in = new LinkedHashMap<>();
                try {
                    for (var e : feeds.entrySet()) in.put(e.getKey(), toOrt(env, e.getValue()));
                    try (OrtSession.Result r = s.run(in)) {
                        List<Tensor> out = new ArrayList<>();
                        for (int i = 0; i < r.size(); i++) out.add(fromOrt((OnnxTensor) r.get(i)));
                        return out;
                    }
                } finally {
                    for (OnnxTensor t : in.values()) t.close();
                }
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime cannot run " + model + ": " + e.getMessage(), e);
        }
    }

    private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = new long[t.dim()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.size(i);
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.toLongArray()), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.toIntArray()), shape);
            default -> throw new IllegalArgumentException("test feeds of " + t.dtype() + " are not wired up");
        };
    }

    private static Tensor fromOrt(OnnxTensor t) {
        long[] s = t.getInfo().getShape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
        return switch (t.getInfo().type) {
            case FLOAT -> { FloatBuffer b = t.getFloatBuffer(); float[] a = new float[b.remaining()]; b.get(a); yield Tensor.of(a, shape); }
            case INT64 -> { LongBuffer b = t.getLongBuffer(); long[] a = new long[b.remaining()]; b.get(a); yield Tensor.of(a, shape); }
            case INT32 -> { IntBuffer b = t.getIntBuffer(); int[] a = new int[b.remaining()]; b.get(a); yield Tensor.of(a, shape); }
            case INT8, UINT8 -> {
                java.nio.ByteBuffer b = t.getByteBuffer();
                int[] a = new int[b.remaining()];
                for (int i = 0; i < a.length; i++) a[i] = t.getInfo().type == ai.onnxruntime.OnnxJavaType.UINT8 ? Byte.toUnsignedInt(b.get()) : b.get();
                yield Tensor.of(a, shape);
            }
            default -> throw new IllegalArgumentException("ONNX Runtime output of " + t.getInfo().type + " is not wired up");
        };
    }

    /** The largest {@code |a - e| / max(1, |e|)} over two tensors of one shape: a relative error that does not blow up near zero. */
    public static double maxRelativeError(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i]));
            if (Double.isNaN(d)) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, d);
        }
        return worst;
    }

    public static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertEquals(expected.dtype() == DType.FLOAT64 ? DType.FLOAT64 : expected.dtype(), actual.dtype(), what + ": dtype");
        double err = maxRelativeError(expected, actual);
        if (err > tolerance) fail(what + ": outputs differ by " + err + " (relative), more than " + tolerance);
    }

    static Path temp(String name) throws IOException {
        return Files.createTempDirectory("sinter-export").resolve(name);
    }
}
