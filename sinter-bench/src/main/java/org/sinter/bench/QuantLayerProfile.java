package org.sinter.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.ModelFiles;
import org.sinter.compress.quant.QConfig;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.Quantize;
import org.sinter.compress.quant.QuantizedSequential;
import org.sinter.compress.quant.nn.QuantStage;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/**
 * Where a Sequential image model's int8 time goes, layer by layer, beside its float32 layers: the
 * checkpoint is quantized as {@code ./sinter compress --quantize int8} does (L2 histogram
 * calibration, here on {@code calib} batches of 32 random inputs in MNIST's normalized range), then
 * each float32 layer and each int8 stage is timed alone on its own input (the output of the layers
 * before it), batch 1 and 32, median of {@code iters} calls after a warm-up, in rounds that
 * alternate the two models. The last int8 line is the dequantizing Linear (and the float tail).
 *
 * <p>Usage: {@code QuantLayerProfile CHECKPOINT [threads=2] [iters=200] [rounds=3]}
 */
public final class QuantLayerProfile {
    private QuantLayerProfile() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int iters = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        Sequential model = (Sequential) ModelFiles.load(file).model();
        model.eval();
        List<Tensor> calib = new ArrayList<>();
        for (int i = 0; i < 8; i++) calib.add(Tensor.rand(32, 1, 28, 28).mul(3.2f).sub(0.42f));
        QuantizedSequential q = Quantize.quantizeStatic(model, QConfig.defaultQConfig(), calib);
        try (var _ = Sinter.noGrad()) {
            for (int batch : new int[] {1, 32}) {
                Tensor x = Tensor.rand(batch, 1, 28, 28).mul(3.2f).sub(0.42f);
                List<String> names = new ArrayList<>();
                List<Runnable> runs = new ArrayList<>();
                Tensor h = x;
                for (Module m : model) {
                    Tensor in = h;
                    names.add("f32  " + m);
                    runs.add(() -> m.forward(in));
                    h = m.forward(in);
                }
                names.add("int8 quantize input");
                runs.add(() -> QTensor.quantize(x, q.inputQparams()));
                QTensor t = QTensor.quantize(x, q.inputQparams());
                for (QuantStage s : q.stages()) {
                    QTensor in = t;
                    names.add("int8 " + s.describe());
                    runs.add(() -> s.forward(in));
                    t = s.forward(in);
                }
                QTensor last = t;
                names.add("int8 last Linear + float tail");
                runs.add(() -> {
                    Tensor y = q.last().forwardFloat(last);
                    for (Module m : q.tail()) y = m.forward(y);
                });
                names.add("f32  whole model");
                runs.add(() -> model.forward(x));
                names.add("int8 whole model");
                runs.add(() -> q.forward(x));
                double[][] ms = new double[runs.size()][rounds];
                for (int r = 0; r < rounds; r++)
                    for (int i = 0; i < runs.size(); i++) ms[i][r] = OrtSideBySide.median(runs.get(i), 20, r == 0 ? 1.0 : 0.2, iters);
                System.out.printf(Locale.ROOT, "batch %d, %d threads, median of %d calls, median of %d rounds (ms):%n", batch, threads, iters, rounds);
                for (int i = 0; i < runs.size(); i++) {
                    double[] v = ms[i].clone();
                    java.util.Arrays.sort(v);
                    String n = names.get(i);
                    System.out.printf(Locale.ROOT, "  %9.4f  %s%n", v[rounds / 2], n.length() > 110 ? n.substring(0, 110) : n);
                }
            }
        }
    }
}
