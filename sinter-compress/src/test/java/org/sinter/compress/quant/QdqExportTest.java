package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.export.QdqExport;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Sequential;
import org.sinter.onnx.export.ExportOptions;
import org.sinter.onnx.proto.Onnx.ModelProto;

/**
 * A converted int8 model exported as ONNX QDQ runs in ONNX Runtime (fused to int8 kernels there) and
 * gives the predictions of Sinter's own int8 kernels.
 */
class QdqExportTest {
    @Test
    void qdqModelRunsInOnnxRuntimeWithSintersPredictions(@TempDir Path dir) throws Exception {
        Sinter.manualSeed(11);
        Sequential model = PostTrainingQuantizationTest.lenetLike();
        PostTrainingQuantizationTest.randomizeBatchNorm((BatchNorm2d) model.get(4));
        model.eval();
        List<Tensor> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Tensor.rand(16, 1, 28, 28));
        for (QConfig qc : List.of(QConfig.of(QConfig.Calibration.L2), QConfig.of(QConfig.Calibration.MINMAX))) {
            QuantizedSequential q = Quantize.quantizeStatic(model, qc, calib);
            Path file = dir.resolve("lenet-qdq.onnx");
            ModelProto m = QdqExport.save(q, Tensor.rand(1, 1, 28, 28), file, ExportOptions.defaults().withDynamicBatch(true));
            List<String> ops = m.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
            // Input, 2 convs, 2 pools, flatten, the hidden linear: 7 quantization points; weights: 4 more dequantizations.
            assertEquals(7, ops.stream().filter("QuantizeLinear"::equals).count(), ops.toString());
            assertEquals(11, ops.stream().filter("DequantizeLinear"::equals).count(), ops.toString());
            // Weights are stored once, as int8: no unused int32 copy rides along.
            var read = m.getGraph().getNodeList().stream().flatMap(nd -> nd.getInputList().stream()).collect(java.util.stream.Collectors.toSet());
            for (var init : m.getGraph().getInitializerList()) {
                assertTrue(read.contains(init.getName()), "initializer " + init.getName() + " is read by no node");
                if (init.getDimsCount() == 4) assertEquals(3, init.getDataType(), init.getName() + " should be int8"); // TensorProto.INT8
            }

            int n = 200;
            Tensor x = Tensor.rand(n, 1, 28, 28);
            Tensor sinter = q.forward(x), reference = QdqExport.reference(q, x), ort = runOrt(file, x);
            assertEquals(List.of(n, 10), List.of(ort.size(0), ort.size(1)));
            int agreeOrt = 0, agreeRef = 0;
            for (int i = 0; i < n; i++) {
                int s = argmax(sinter, i);
                if (s == argmax(ort, i)) agreeOrt++;
                if (s == argmax(reference, i)) agreeRef++;
            }
            // Sinter's int8 kernels and a QDQ runtime differ only by the rounding of requantization (a step here and there).
            assertTrue(agreeRef >= n * 0.98, "Sinter int8 vs the QDQ graph run eagerly: " + agreeRef + "/" + n);
            assertTrue(agreeOrt >= n * 0.98, "Sinter int8 vs ONNX Runtime: " + agreeOrt + "/" + n);
            double maxLogProbDiff = sinter.sub(ort).abs().max().item();
            assertTrue(maxLogProbDiff < 0.5, "log-probabilities differ by " + maxLogProbDiff);
        }
    }

    private static int argmax(Tensor logits, int row) {
        float[] v = logits.select(0, row).contiguous().toFloatArray();
        int best = 0;
        for (int j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
        return best;
    }

    private static Tensor runOrt(Path file, Tensor x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(file.toString(), so);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.contiguous().toFloatArray()), new long[] {x.size(0), 1, 28, 28});
                 OrtSession.Result r = s.run(Map.of("input", in))) {
                float[][] out = (float[][]) r.get(0).getValue();
                float[] flat = new float[out.length * out[0].length];
                for (int i = 0; i < out.length; i++) System.arraycopy(out[i], 0, flat, i * out[0].length, out[0].length);
                return Tensor.of(flat, out.length, out[0].length);
            }
        }
    }
}
