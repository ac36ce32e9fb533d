package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;

/** sinter compress: a trained model quantized end to end, and clear errors for bad options. */
class CompressCommandTest {
    @Test
    void quantizesATrainedModelAndReportsBeforeAndAfter(@TempDir Path dir) {
        Cli.Result t = Cli.trainMlp(dir.resolve("run"));
        assertEquals(0, t.exit(), t.err());
        String model = dir.resolve("run").resolve("model.safetensors").toString();
        Path onnx = dir.resolve("mlp-int8.onnx");
        Cli.Result r = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--quantize", "int8", "--calibration-batches", "2",
                "--latency-runs", "1", "--threads", "1", "--onnx", onnx.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("float32") && r.out().contains("int8 (l2)") && r.out().contains("int8 (l2) vs float32: size 0.2"), r.out());
        assertTrue(r.out().contains("wrote " + onnx + " (ONNX QDQ"), r.out());
        // Timed runs put the compiled float32 graph beside the eager one.
        assertTrue(r.out().contains("float32 (compiled)") && r.out().contains("int8 (l2) vs float32 compiled: latency"), r.out());
        // The QDQ file loads back into Sinter (ONNX Runtime is checked in sinter-compress's tests).
        Tensor x = Tensor.rand(3, 1, 28, 28);
        int[] shape = org.sinter.onnx.OnnxModel.load(onnx).call(x)[0].shape();
        assertEquals(List.of(3, 10), List.of(shape[0], shape[1]));
        Cli.Result notInt8 = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--quantize", "fp16", "--onnx", onnx.toString());
        assertEquals(2, notInt8.exit());
        assertTrue(notInt8.err().contains("--onnx exports the int8 model"), notInt8.err());
        Cli.Result h = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--quantize", "bf16", "--latency-runs", "0");
        assertEquals(0, h.exit(), h.err());
        assertTrue(h.out().contains("bf16 weights vs float32: size 0.50x"), h.out());

        // QAT prints its like-for-like controls: float32 trained the same steps, and PTQ from the same weights.
        Cli.Result qat = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--quantize", "int8", "--qat-steps", "3",
                "--calibration-batches", "2", "--latency-runs", "0", "--threads", "1");
        assertEquals(0, qat.exit(), qat.err());
        assertTrue(qat.out().contains("float32 (fine-tuned 3)") && qat.out().contains("int8 (l2, no qat)"), qat.out());
        assertTrue(qat.out().contains("int8 (qat 3) vs float32 fine-tuned the same 3 steps: accuracy"), qat.out());
        assertTrue(!qat.out().contains("float32 (compiled)"), qat.out());

        Cli.Result sparse = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--prune", "0.9", "--latency-runs", "1", "--threads", "1");
        assertEquals(0, sparse.exit(), sparse.err());
        assertTrue(sparse.out().contains("90% sparse vs float32"), sparse.out());
        Cli.Result both = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--prune", "0.5", "--structured", "--quantize", "int8",
                "--calibration-batches", "2", "--latency-runs", "0");
        assertEquals(0, both.exit(), both.err());
        assertTrue(both.out().contains("-50% channels, int8 (l2) vs float32: size 0.1"), both.out());
        Cli.Result tuned = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--prune", "0.5", "--structured", "--finetune-steps", "3",
                "--latency-runs", "0");
        assertEquals(0, tuned.exit(), tuned.err());
        assertTrue(tuned.out().contains("fine-tuned the pruned model for 3 steps"), tuned.out());
        Cli.Result tuneUnstructured = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--prune", "0.9", "--finetune-steps", "3");
        assertNotEquals(0, tuneUnstructured.exit());
        assertTrue(tuneUnstructured.err().contains("--finetune-steps fine-tunes a --structured pruned model"), tuneUnstructured.err());
        Cli.Result none = Cli.run("compress", "--model", "mlp", "--checkpoint", model);
        assertNotEquals(0, none.exit());
        assertTrue(none.err().contains("--quantize int8|fp16|bf16 and/or --prune"), none.err());
        Cli.Result range = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--prune", "1.5");
        assertTrue(range.err().contains("--prune must be a fraction in (0, 1)"), range.err());

        Cli.Result bad = Cli.run("compress", "--model", "mlp", "--checkpoint", model, "--quantize", "int4");
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("unknown --quantize 'int4'"), bad.err());
        Cli.Result wrong = Cli.run("compress", "--model", "lenet5", "--checkpoint", model, "--quantize", "int8");
        assertNotEquals(0, wrong.exit());
        assertTrue(wrong.err().contains("holds a mlp model"), wrong.err());
    }
}
