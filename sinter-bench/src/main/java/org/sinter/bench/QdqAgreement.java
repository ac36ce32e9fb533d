package org.sinter.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.ModelFiles;
import org.sinter.cli.train.ImageTask;
import org.sinter.compress.quant.QConfig;
import org.sinter.compress.quant.Quantize;
import org.sinter.compress.quant.QuantizedSequential;
import org.sinter.compress.quant.export.QdqExport;
import org.sinter.data.Batch;
import org.sinter.nn.Sequential;
import org.sinter.onnx.export.ExportOptions;

/**
 * Issue 13's QDQ bar: a model quantized to int8 by Sinter (static PTQ, as {@code ./sinter compress
 * --quantize int8} does it: 32 training batches of 32 for calibration, L2 histogram search) is
 * exported as ONNX QDQ and run by ONNX Runtime on the whole test set; prints the share of images on
 * which ONNX Runtime's top-1 class equals Sinter's int8 model's, and each side's accuracy.
 *
 * <p>Usage: {@code QdqAgreement MODEL CHECKPOINT [DATASET=mnist] [OUT.onnx]}
 */
public final class QdqAgreement {
    private QdqAgreement() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: QdqAgreement MODEL CHECKPOINT [DATASET=mnist] [OUT.onnx]");
            System.exit(2);
        }
        ModelFiles.Loaded l = ModelFiles.load(Path.of(args[1]));
        if (!l.spec().id.equals(args[0]) || !(l.model() instanceof Sequential seq)) {
            throw new IllegalArgumentException(args[1] + " holds a " + l.spec().id + " model, not a Sequential " + args[0]);
        }
        ImageTask task = new ImageTask(l.spec(), args.length > 2 ? args[2] : "mnist", null);
        List<Tensor> calib = new ArrayList<>();
        for (Batch b : task.trainLoader(new Generator(7), 32, 0)) {
            calib.add(b.fields().get(0));
            if (calib.size() == 32) break;
        }
        seq.eval();
        QuantizedSequential q = Quantize.quantizeStatic(seq, QConfig.of(QConfig.Calibration.L2), calib);
        Path file = args.length > 3 ? Path.of(args[3]) : Files.createTempFile("qdq", ".onnx");
        QdqExport.save(q, calib.getFirst().narrow(0, 0, 1).contiguous(), file, ExportOptions.defaults().withDynamicBatch(true));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long agree = 0, total = 0, okSinter = 0, okOrt = 0, okFloat = 0;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(Sinter.getNumThreads());
            try (OrtSession session = env.createSession(file.toString(), so)) {
                for (Batch b : task.testLoader(250, 0)) {
                    Tensor x = b.fields().get(0).contiguous();
                    long[] labels = b.fields().get(1).toLongArray();
                    int[] s = argmax(q.forward(x)), f, o;
                    try (var _ = Sinter.noGrad()) {
                        f = argmax(seq.forward(x));
                    }
                    long[] shape = new long[x.dim()];
                    for (int i = 0; i < shape.length; i++) shape[i] = x.size(i);
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape);
                         OrtSession.Result r = session.run(Map.of("input", in))) {
                        o = argmax((float[][]) r.get(0).getValue());
                    }
                    for (int i = 0; i < s.length; i++) {
                        if (s[i] == o[i]) agree++;
                        if (s[i] == labels[i]) okSinter++;
                        if (o[i] == labels[i]) okOrt++;
                        if (f[i] == labels[i]) okFloat++;
                    }
                    total += s.length;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s (%s): %d test images; ONNX Runtime %s QDQ top-1 = Sinter int8 top-1 on %.2f%% (%d disagree); "
                        + "accuracy: Sinter float32 %.2f%%, Sinter int8 %.2f%%, ONNX Runtime QDQ %.2f%%; model %s%n",
                args[0], args[1], total, ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), 100.0 * agree / total, total - agree,
                100.0 * okFloat / total, 100.0 * okSinter / total, 100.0 * okOrt / total, file);
    }

    private static int[] argmax(Tensor logits) {
        float[] v = logits.contiguous().toFloatArray();
        int n = logits.size(0), c = logits.size(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < c; j++) if (v[i * c + j] > v[i * c + out[i]]) out[i] = j;
        }
        return out;
    }

    private static int[] argmax(float[][] logits) {
        int[] out = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            for (int j = 1; j < logits[i].length; j++) if (logits[i][j] > logits[i][out[i]]) out[i] = j;
        }
        return out;
    }
}
