package org.sinter.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.Evaluation;
import org.sinter.cli.train.ImageTask;
import org.sinter.compress.prune.ChannelCriterion;
import org.sinter.compress.prune.ModelPruner;
import org.sinter.compress.prune.ResNetChannelPlan;
import org.sinter.compress.prune.PruneReport;
import org.sinter.compress.quant.PreparedModel;
import org.sinter.compress.quant.PreparedResNet;
import org.sinter.compress.quant.QConfig;
import org.sinter.compress.quant.Quantize;
import org.sinter.compress.sparse.KernelChooser;
import org.sinter.compress.sparse.Sparsifier;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.data.Batch;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.models.ResNet18;
import org.sinter.optim.Adam;
import org.sinter.compress.quant.QuantizedSequential;
import org.sinter.compress.quant.export.QdqExport;
import org.sinter.onnx.export.ExportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter compress}: compresses a trained image model and prints its size, test accuracy and
 * latency (batch 1 and 32) before and after. Quantization: static int8 (calibrated on training
 * images), or float16 / bfloat16 weights. Pruning: {@code --prune AMOUNT} by global weight
 * magnitude (run on sparse kernels chosen by measurement), or with {@code --structured} that share
 * of every layer's channels by filter L1 norm (a smaller dense model); without fine-tuning, so the
 * accuracy shown is the one-shot loss. Pruning and quantization combine (pruned first).
 */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Quantize (int8, fp16, bf16) and/or prune a trained model and report size, accuracy and latency before and after.")
final class CompressCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "the zoo model the checkpoint holds: lenet5, lab1cnn, mlp, resnet18 (int8 and --structured pruning)")
    String model;

    @Option(names = "--checkpoint", required = true, description = "model.safetensors or training checkpoint written by 'sinter train'")
    Path checkpoint;

    @Option(names = "--quantize", description = "int8 (static post-training quantization), fp16 or bf16 (half-precision weights)")
    String quantize;

    @Option(names = "--prune", description = "prune this fraction (0-1) of the weights by global magnitude, or of each layer's channels with --structured")
    Double prune;

    @Option(names = "--structured", description = "with --prune: remove whole channels (L1 filter norm), giving a smaller dense model")
    boolean structured;

    @Option(names = "--calibration", defaultValue = "l2", description = "int8 activation calibration: minmax, l2 (PyTorch's histogram search), percentile, entropy (default: ${DEFAULT-VALUE})")
    String calibration;

    @Option(names = "--calibration-batches", defaultValue = "32", description = "training batches of 32 images observed for int8 calibration (default: ${DEFAULT-VALUE})")
    int calibrationBatches;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data-dir", description = "read the dataset's IDX files from this directory")
    Path dataDir;

    @Option(names = "--latency-runs", defaultValue = "50", description = "timed forward passes per batch size (median reported; 0: skip timing; default: ${DEFAULT-VALUE})")
    int latencyRuns;

    @Option(names = "--qat-steps", defaultValue = "0", description = "int8: fine-tune with quantization-aware training for N training batches of 32 before converting (0: post-training quantization only)")
    int qatSteps;

    @Option(names = "--qat-lr", defaultValue = "1e-4", description = "Adam learning rate for --qat-steps (default: ${DEFAULT-VALUE})")
    double qatLr;

    @Option(names = "--onnx", description = "with --quantize int8: also write the int8 model as an ONNX QDQ model (dynamic batch) to this file")
    Path onnx;

    @Option(names = "--finetune-steps", defaultValue = "0", description = "with --structured: fine-tune the pruned model for N training batches of 32 (Adam) before measuring (default: ${DEFAULT-VALUE})")
    int finetuneSteps;

    @Option(names = "--finetune-lr", defaultValue = "1e-3", description = "Adam learning rate for --finetune-steps (default: ${DEFAULT-VALUE})")
    double finetuneLr;

    @Option(names = "--threads", description = "intra-op threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
            Sinter.setNumThreads(threads);
        }
        if (qatSteps < 0) throw new UsageException("--qat-steps must be >= 0, got " + qatSteps);
        if (calibrationBatches < 1) throw new UsageException("--calibration-batches must be at least 1, got " + calibrationBatches);
        if (latencyRuns < 0) throw new UsageException("--latency-runs must be >= 0, got " + latencyRuns);
        if (quantize == null && prune == null) throw new UsageException("give --quantize int8|fp16|bf16 and/or --prune AMOUNT");
        if (prune != null && !(prune > 0 && prune < 1)) throw new UsageException("--prune must be a fraction in (0, 1), got " + prune);
        if (structured && prune == null) throw new UsageException("--structured needs --prune AMOUNT");
        if (onnx != null && (quantize == null || !quantize.equalsIgnoreCase("int8"))) throw new UsageException("--onnx exports the int8 model: give --quantize int8");
        ModelFiles.Loaded l = ModelFiles.load(checkpoint);
        if (!l.spec().id.equals(model)) {
            throw new UsageException(checkpoint + " holds a " + l.spec().id + " model, not --model " + model);
        }
        if (finetuneSteps < 0) throw new UsageException("--finetune-steps must be >= 0, got " + finetuneSteps);
        if (finetuneSteps > 0 && !structured) throw new UsageException("--finetune-steps fine-tunes a --structured pruned model");
        if (!l.isText() && l.model() instanceof ResNet18 resnet) {
            ImageTask task = new ImageTask(l.spec(), dataset, dataDir);
            String[] label = {""};
            List<Row> extras = new ArrayList<>();
            Module compressed = compressResNet(resnet, task, label, extras);
            compareAndPrint(resnet, compressed, label[0], task, extras);
            return 0;
        }
        if (l.isText() || !(l.model() instanceof Sequential seq)) {
            throw new UsageException("compress handles the image models built as a Sequential (lenet5, lab1cnn, mlp) and resnet18, not " + model);
        }
        ImageTask task = new ImageTask(l.spec(), dataset, dataDir);
        Module compressed = seq;
        String label = "";
        List<Row> extras = new ArrayList<>();
        Sequential target = seq;
        if (prune != null) {
            PruneReport pr = ModelPruner.prune(freshCopy(seq), prune, structured);
            System.out.println(pr.summary());
            label = String.format(Locale.ROOT, structured ? "-%.0f%% channels" : "%.0f%% sparse", 100 * prune);
            if (!(pr.model() instanceof Sequential pruned)) throw new IllegalStateException("pruning returned a " + pr.model().getClass().getSimpleName());
            target = pruned;
            if (structured && finetuneSteps > 0) fineTune(pruned, task);
            // Unstructured zeros pay off only on sparse kernels; a later quantization runs dense int8 instead.
            compressed = structured || quantize != null ? pruned : Sparsifier.sparsify(pruned, KernelChooser.measuring());
        }
        if (quantize != null) switch (quantize.toLowerCase(Locale.ROOT)) {
            case "int8" -> {
                QConfig.Calibration c = calibrationOption();
                List<Tensor> calib = calibrationBatches(task);
                if (qatSteps > 0 && prune == null) {
                    // Like for like: the same steps, optimizer, learning rate and batches in float32 (the
                    // control: QAT from a baseline that is not converged also trains it further), and PTQ.
                    extras.add(new Row("float32 (fine-tuned " + qatSteps + ")", floatControl(target, task)));
                    extras.add(new Row("int8 (" + c.name().toLowerCase(Locale.ROOT) + ", no qat)", Quantize.quantizeStatic(target, QConfig.of(c), calib)));
                }
                if (qatSteps > 0) {
                    compressed = quantizationAwareTraining(target, task);
                    label = join(label, "int8 (qat " + qatSteps + ")");
                } else {
                    compressed = Quantize.quantizeStatic(target, QConfig.of(c), calib);
                    label = join(label, "int8 (" + c.name().toLowerCase(Locale.ROOT) + ")");
                }
            }
            case "fp16" -> {
                compressed = Quantize.toHalf(target, DType.FLOAT16);
                label = join(label, "fp16 weights");
            }
            case "bf16" -> {
                compressed = Quantize.toHalf(target, DType.BFLOAT16);
                label = join(label, "bf16 weights");
            }
            default -> throw new UsageException("unknown --quantize '" + quantize + "' (int8, fp16, bf16)");
        }
        compareAndPrint(seq, compressed, label, task, extras);
        if (onnx != null) {
            Tensor one = null;
            for (Batch b : task.testLoader(1, 0)) {
                one = b.fields().get(0);
                break;
            }
            QdqExport.save((QuantizedSequential) compressed, one, onnx, ExportOptions.defaults().withDynamicBatch(true));
            System.out.println("wrote " + onnx + " (ONNX QDQ, opset " + ExportOptions.defaults().opset() + ", dynamic batch)");
        }
        return 0;
    }

    /**
     * ResNet-18: int8 post-training quantization (quantized residual adds with their own scales)
     * or quantization-aware training (with its float32 control and PTQ as {@code extras}), and/or
     * structured channel pruning tied across each stage's residual stream (pruned first).
     */
    private Module compressResNet(ResNet18 resnet, ImageTask task, String[] label, List<Row> extras) {
        if (onnx != null) throw new UsageException("--onnx: QDQ export of resnet18's residual adds is not implemented");
        if (prune != null && !structured) throw new UsageException("resnet18 supports --prune with --structured (channels); unstructured sparsity is for the Sequential models");
        ResNet18 target = resnet;
        Module compressed = resnet;
        if (prune != null) {
            ResNetChannelPlan plan = ResNetChannelPlan.of(copyOf(resnet), prune, ChannelCriterion.L1_NORM, true);
            target = plan.apply();
            long[] n = plan.parameterCounts(target);
            System.out.printf(Locale.ROOT, "structured pruning: %.0f%% of every block's inner channels and of each stage's residual stream (tied across the stage); "
                    + "parameters %d -> %d; widths %s, inner %s%n", 100 * prune, n[0], n[1], Arrays.toString(target.widths().stages()),
                    Arrays.toString(target.widths().inner()));
            if (finetuneSteps > 0) fineTune(target, task);
            target.eval();
            compressed = target;
            label[0] = String.format(Locale.ROOT, "-%.0f%% channels", 100 * prune);
        }
        if (quantize != null) {
            if (!quantize.equalsIgnoreCase("int8")) throw new UsageException("resnet18 supports --quantize int8, got " + quantize);
            QConfig.Calibration c = calibrationOption();
            String calibrationName = c.name().toLowerCase(Locale.ROOT);
            if (qatSteps > 0) {
                if (prune == null) {
                    // Like for like, as for the Sequential models: the float32 control trained the same steps, and PTQ.
                    ResNet18 control = copyOf(target);
                    control.train();
                    trainQatSteps(control, task);
                    control.eval();
                    extras.add(new Row("float32 (fine-tuned " + qatSteps + ")", control));
                    extras.add(new Row("int8 (" + calibrationName + ", no qat)", Quantize.quantizeStatic(target, QConfig.of(c), calibrationBatches(task))));
                }
                // A pruned model is already a copy; the float32 baseline must stay as loaded.
                PreparedResNet qat = Quantize.prepareQat(prune != null ? target : copyOf(target), QConfig.defaultQatQConfig());
                trainQatSteps(qat, task);
                qat.eval();
                compressed = Quantize.convert(qat);
                label[0] = join(label[0], "int8 (qat " + qatSteps + ")");
            } else {
                compressed = Quantize.quantizeStatic(target, QConfig.of(c), calibrationBatches(task));
                label[0] = join(label[0], "int8 (" + calibrationName + ")");
            }
        }
        return compressed;
    }

    /** A new ResNet-18 of {@code m}'s widths holding its weights and statistics. */
    private static ResNet18 copyOf(ResNet18 m) {
        ResNet18 copy = new ResNet18(m.inChannels(), m.classes(), m.widths());
        copy.loadStateDict(m.stateDict(), true);
        return copy;
    }

    private QConfig.Calibration calibrationOption() {
        try {
            return QConfig.Calibration.valueOf(calibration.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown --calibration '" + calibration + "' (minmax, l2, percentile, entropy)");
        }
    }

    private List<Tensor> calibrationBatches(ImageTask task) {
        List<Tensor> calib = new ArrayList<>();
        for (Batch b : task.trainLoader(new Generator(7), 32, 0)) {
            calib.add(b.fields().get(0));
            if (calib.size() == calibrationBatches) break;
        }
        return calib;
    }

    /** Fine-tunes a channel-pruned model in place (Adam, training batches of 32, batch norms in training mode). */
    private void fineTune(Module m, ImageTask task) {
        m.train();
        Adam opt = new Adam(m.parameters(), finetuneLr);
        int step = 0;
        for (Batch b : task.trainLoader(new Generator(17), 32, 0)) {
            opt.zeroGrad();
            Tensor loss = task.loss(m.forward(b.fields().get(0)), b.fields().get(1));
            loss.backward();
            opt.step();
            if (++step == finetuneSteps) break;
        }
        m.eval();
        System.out.println("fine-tuned the pruned model for " + step + " steps (Adam, lr " + finetuneLr + ", batch 32)");
    }

    /** A model printed between the float32 baseline and the compressed one (QAT's controls). */
    private record Row(String label, Module module) {}

    private void compareAndPrint(Module base, Module compressed, String label, ImageTask task, List<Row> extras) {
        Tensor one = null, batch32 = null;
        for (Batch b : task.testLoader(32, 0)) {
            batch32 = b.fields().get(0);
            one = batch32.narrow(0, 0, 1).contiguous();
            break;
        }
        System.out.println(model + " from " + checkpoint + " on " + dataset + " (latency: median of " + latencyRuns + " forward passes, "
                + Sinter.getNumThreads() + " threads)");
        System.out.printf(Locale.ROOT, "%-30s %12s %10s %14s %14s%n", "", "size", "accuracy", "latency b=1", "latency b=32");
        double[] before = report("float32", base, task, one, batch32);
        double[] compiled = reportCompiled(base, one, batch32);
        double[] control = null;
        for (Row r : extras) {
            double[] v = report(r.label(), r.module(), task, one, batch32);
            if (r.label().startsWith("float32")) control = v;
        }
        double[] after = report(label, compressed, task, one, batch32);
        System.out.printf(Locale.ROOT, "%s vs float32: size %.2fx, accuracy %+.2f points, latency %.2fx (batch 1), %.2fx (batch 32)%n",
                label, after[0] / before[0], 100 * (after[1] - before[1]), after[2] / before[2], after[3] / before[3]);
        if (compiled != null) {
            System.out.printf(Locale.ROOT, "%s vs float32 compiled: latency %.2fx (batch 1), %.2fx (batch 32)%n", label, after[2] / compiled[0], after[3] / compiled[1]);
        }
        if (control != null) {
            System.out.printf(Locale.ROOT, "%s vs float32 fine-tuned the same %d steps: accuracy %+.2f points%n", label, qatSteps, 100 * (after[1] - control[1]));
        }
    }

    /**
     * The float32 model as the compiler runs it (frozen parameters, one graph per batch size), timed
     * like the others; its accuracy is the eager model's (the same arithmetic), so it is not re-measured.
     * Null when timing is off or the model does not compile (said on the row).
     */
    private double[] reportCompiled(Module base, Tensor one, Tensor batch32) {
        if (latencyRuns == 0) return null;
        base.eval();
        try (var _ = Sinter.noGrad()) {
            CompiledFunction f = Compiler.compile(base, CompileOptions.defaults().withFrozenParameters());
            UnaryOperator<Tensor> run = x -> f.call(x)[0];
            // The compiled program's generated kernels reach full speed later than eager code (ResNet-18
            // at batch 1 was still 1.5-2x slower than eager after 2 s, and settled by ~10 s), hence the longer warm-up.
            long warm = Math.min(COMPILED_WARMUP_NANOS, latencyRuns * 80_000_000L);
            double l1 = medianMillis(run, one, warm), l32 = medianMillis(run, batch32, warm);
            System.out.printf(Locale.ROOT, "%-30s %12s %10s %11.3f ms %11.3f ms%n", "float32 (compiled)", "-", "-", l1, l32);
            return new double[] {l1, l32};
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "%-30s did not compile: %s%n", "float32 (compiled)", e.getMessage());
            return null;
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + ", " + b;
    }

    /** Fine-tunes a copy of {@code seq} with fake quantization (Adam), then converts it to int8. */
    private Module quantizationAwareTraining(Sequential seq, ImageTask task) {
        // A pruned (smaller) model is not the zoo's architecture: train it in place, the float baseline is another object.
        Sequential copy = prune != null ? seq : (Sequential) freshCopy(seq);
        PreparedModel qat = Quantize.prepareQat(copy, QConfig.defaultQatQConfig());
        trainQatSteps(qat, task);
        qat.eval();
        return Quantize.convert(qat);
    }

    /**
     * QAT's control: a float32 copy of {@code seq} trained the same {@code --qat-steps} with the same
     * optimizer, learning rate and batches (the same loader seed), so QAT − this is quantization's own
     * effect rather than extra training.
     */
    private Module floatControl(Sequential seq, ImageTask task) {
        Module copy = freshCopy(seq);
        copy.train();
        trainQatSteps(copy, task);
        copy.eval();
        return copy;
    }

    private void trainQatSteps(Module m, ImageTask task) {
        Adam opt = new Adam(m.parameters(), qatLr);
        int step = 0;
        for (Batch b : task.trainLoader(new Generator(11), 32, 0)) {
            opt.zeroGrad();
            Tensor loss = task.loss(m.forward(b.fields().get(0)), b.fields().get(1));
            loss.backward();
            opt.step();
            if (++step == qatSteps) break;
        }
    }

    /** A fresh instance of the zoo model holding {@code seq}'s weights (QAT trains the copy, not the float baseline). */
    private Module freshCopy(Sequential seq) {
        Module m = org.sinter.cli.train.ModelSpec.of(model).create();
        m.loadStateDict(seq.stateDict(), true);
        return m;
    }

    private double[] report(String label, Module m, ImageTask task, Tensor one, Tensor batch32) {
        double size = Quantize.sizeBytes(m);
        double acc = Evaluation.evaluate(task, m)[1];
        double l1 = medianMillis(m::forward, one, 0), l32 = medianMillis(m::forward, batch32, 0);
        System.out.printf(Locale.ROOT, "%-30s %8.1f KiB %9.2f%% %11.3f ms %11.3f ms%n", label, size / 1024, 100 * acc, l1, l32);
        return new double[] {size, acc, l1, l32};
    }

    /** Least warm-up of the compiled float32 graph per batch size (for 100 timed runs; less for fewer). */
    private static final long COMPILED_WARMUP_NANOS = 8_000_000_000L;

    private double medianMillis(UnaryOperator<Tensor> m, Tensor x, long minWarmNanos) {
        if (latencyRuns == 0) return Double.NaN;
        double[] t = new double[latencyRuns];
        try (var _ = Sinter.noGrad()) {
            // Warm-up for the JIT: at least 20 passes and 20 ms per timed run of them (2 s for 100), as
            // this batch size's kernels (batch 1 takes other code paths than the accuracy run's) may be cold.
            long warmEnd = System.nanoTime() + Math.max(minWarmNanos, Math.min(2_000_000_000L, latencyRuns * 20_000_000L));
            for (int i = 0; i < Math.max(20, latencyRuns / 5) || System.nanoTime() < warmEnd; i++) m.apply(x);
            for (int i = 0; i < latencyRuns; i++) {
                long s = System.nanoTime();
                m.apply(x);
                t[i] = (System.nanoTime() - s) / 1e6;
            }
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
