package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.Task;
import org.sinter.cli.train.TextTask;
import org.sinter.nn.Module;
import org.sinter.nn.io.SafeTensors;
import org.sinter.onnx.OnnxModel;

/**
 * The round-trip bar on the zoo: every model exported by {@code sinter onnx export}, accepted
 * by onnx.checker (full check; skipped where python3-onnx is absent), run by ONNX Runtime at two
 * batch sizes other than the traced one, and re-imported by Sinter, with outputs equal to the
 * module's within 1e-5 (relative, or absolute below 1).
 */
class OnnxExportZooTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void everyZooModelRoundTrips(@TempDir Path dir) throws Exception {
        for (String id : new String[] {"mlp", "lenet5", "lab1cnn", "resnet18", "gpt"}) {
            Path file = dir.resolve(id + ".onnx");
            var r = Cli.run("onnx", "export", "--model", id, "--out", file.toString(), "--batch", "2");
            assertEquals(0, r.exit(), r.toString());
            Sinter.manualSeed(0); // the command's fresh weights
            ModelSpec spec = ModelSpec.of(id);
            Module m = OnnxExportCommand.create(spec);
            m.eval();
            check(file, id);
            OnnxModel imported = OnnxModel.load(file);
            for (int batch : new int[] {1, 3}) {
                Tensor x = spec.kind == Task.Kind.TEXT ? Tensor.randint(0, 60, batch, TextTask.CONTEXT) : Tensor.randn(batch, 1, 28, 28);
                Tensor expected;
                try (var _ = Sinter.noGrad()) {
                    expected = m.forward(x);
                }
                double ort = error(expected, ort(file, x)), sinter = error(expected, imported.call(x)[0]);
                System.out.printf("%s batch %d: max error ONNX Runtime %.2e, Sinter import %.2e%n", id, batch, ort, sinter);
                assertTrue(ort <= TOLERANCE, id + " batch " + batch + ": ONNX Runtime differs by " + ort);
                assertTrue(sinter <= TOLERANCE, id + " batch " + batch + ": Sinter's import differs by " + sinter);
            }
        }
    }

    @Test
    void exportsTheCheckpointsWeights(@TempDir Path dir) throws Exception {
        Sinter.manualSeed(42);
        Module trained = ModelSpec.MLP.create();
        Path weights = dir.resolve("model.safetensors");
        SafeTensors.save(trained.stateDict(), weights, Map.of("model", "mlp"));
        Path file = dir.resolve("mlp.onnx");
        var r = Cli.run("onnx", "export", "--checkpoint", weights.toString(), "--out", file.toString(), "--opset", "13");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("mlp -> "), r.out());
        trained.eval();
        Tensor x = Tensor.randn(4, 1, 28, 28), expected;
        try (var _ = Sinter.noGrad()) {
            expected = trained.forward(x);
        }
        assertTrue(error(expected, ort(file, x)) <= TOLERANCE, "ONNX Runtime runs the checkpoint's weights");
    }

    @Test
    void badArgumentsAreOneLineErrors(@TempDir Path dir) {
        var none = Cli.run("onnx", "export", "--out", dir.resolve("x.onnx").toString());
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains("give --model, --checkpoint"), none.err());
        var opset = Cli.run("onnx", "export", "--model", "mlp", "--out", dir.resolve("x.onnx").toString(), "--opset", "9");
        assertTrue(opset.err().contains("--opset must be 13 to 17"), opset.err());
        var missing = Cli.run("onnx", "export", "--checkpoint", dir.resolve("none.safetensors").toString(), "--out", dir.resolve("x.onnx").toString());
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("none.safetensors"), missing.err());
    }

    private static double error(Tensor expected, Tensor actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i])));
        return worst;
    }

    private static void check(Path file, String id) throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor() != 0) {
            System.out.println("python3-onnx is not installed: onnx.checker skipped for " + id);
            return;
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import sys, onnx; onnx.checker.check_model(sys.argv[1], full_check=True)", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) fail("onnx.checker rejects the " + id + " export:\n" + out);
    }

    private static Tensor ort(Path file, Tensor x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = java.util.Arrays.stream(x.shape()).asLongStream().toArray();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = x.dtype() == org.sinter.DType.INT64 ? OnnxTensor.createTensor(env, LongBuffer.wrap(x.toLongArray()), shape)
                     : OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape);
             OrtSession.Result r = s.run(Map.of("input", in))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            FloatBuffer b = out.getFloatBuffer();
            float[] a = new float[b.remaining()];
            b.get(a);
            return Tensor.of(a, java.util.Arrays.stream(out.getInfo().getShape()).mapToInt(v -> (int) v).toArray());
        }
    }
}
