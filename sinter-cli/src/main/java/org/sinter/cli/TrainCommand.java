package org.sinter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.RunConfig;
import org.sinter.cli.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter train}: trains a model. With no options it trains the course's Lab 1 CNN on MNIST
 * (Adadelta lr 1.0, StepLR gamma 0.7, batch 64, 3 epochs).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (default: the Lab 1 CNN on MNIST).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lab1cnn", description = "lab1cnn, mlp, lenet5, resnet18, samplecnn (for --dp), charlm or gpt (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--dataset", description = "mnist or fashion-mnist for image models (default: mnist); for charlm and gpt: a text file (default: the bundled King James text)")
    String dataset;

    @Option(names = "--data-dir", description = "read the image dataset's IDX files from this directory")
    Path dataDir;

    @Option(names = "--epochs", description = "epochs (default: the model's)")
    Integer epochs;

    @Option(names = "--batch-size", description = "batch size (default: the model's)")
    Integer batchSize;

    @Option(names = "--lr", description = "learning rate (default: the model's)")
    Double lr;

    @Option(names = "--gamma", description = "StepLR decay per epoch (default: the model's)")
    Double gamma;

    @Option(names = "--optimizer", description = "sgd, adam, adamw, adadelta, rmsprop, adagrad (default: the model's)")
    String optimizer;

    @Option(names = "--threads", description = "intra-op threads (default: all cores)")
    Integer threads;

    @Option(names = "--workers", defaultValue = "1", description = "data loader workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--resume", description = "continue from the latest checkpoint in the output directory")
    boolean resume;

    @Option(names = "--overwrite", description = "replace the run already in the output directory (without it, a fresh run there is refused)")
    boolean overwrite;

    @Option(names = "--out", description = "output directory (default: runs/<model>)")
    Path out;

    @Option(names = "--profile", description = "profile steps 10-19: print the top ops, write profile.txt, trace.json and model.dot")
    boolean profile;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "checkpoint every N steps as well as after each epoch (0: epochs only; default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--device", description = "where to train: cpu (default) or cuda, cuda:N (an NVIDIA GPU, with CUDA's driver and NVRTC)")
    String device;

    private org.sinter.Device device() {
        if (device == null) return org.sinter.Device.CPU;
        org.sinter.Device d;
        try {
            d = org.sinter.Device.of(device);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--device: " + e.getMessage());
        }
        if (d.type() == org.sinter.Device.Type.META) throw new UsageException("--device: meta tensors hold no data; use cpu or cuda");
        if (d.type() == org.sinter.Device.Type.CUDA) {
            if (resume) throw new UsageException("--resume restores a run on the CPU; --device " + device + " starts fresh runs only");
            String why = org.sinter.cuda.Cuda.unavailableReason();
            if (why != null) throw new UsageException("--device " + device + ": CUDA is not available: " + why);
        }
        return d;
    }

    @Option(names = "--compile", description = "run each step's forward and backward as one compiled graph with fused kernels")
    boolean compile;

    @Option(names = "--distributed", description = "train data-parallel under a launcher (sinter launch, torchrun --no_python, mpirun, srun):"
            + " --batch-size is per rank; rank 0 writes the run")
    boolean distributed;

    @Option(names = "--comm-hook", description = "with --distributed, how gradients travel: allreduce (default), fp16, float8 (the course's"
            + " 1-4-3 format), topk:RATIO (with error feedback) or powersgd:RANK")
    String commHook;

    @Option(names = "--max-steps", description = "at most N batches per epoch (0: all; default: the model's)")
    Integer maxSteps;

    @Option(names = "--dp", description = "train with DP-SGD (sinter-privacy): per-sample gradients clipped to --max-grad-norm, Gaussian"
            + " noise of --noise-multiplier (or solved for --target-epsilon), Poisson batches of expected size --batch-size; prints ε after each epoch")
    boolean dp;

    @Option(names = "--noise-multiplier", paramLabel = "S", description = "with --dp: the noise's standard deviation as a multiple of the clipping norm")
    Double noiseMultiplier;

    @Option(names = {"--target-epsilon", "--epsilon"}, paramLabel = "E", description = "with --dp: solve the noise multiplier so that ε ≤ E after all epochs")
    Double targetEpsilon;

    @Option(names = "--max-grad-norm", paramLabel = "C", description = "with --dp: per-sample clipping norm (default: 1.0)")
    Double maxGradNorm;

    @Option(names = "--delta", paramLabel = "D", description = "with --dp: the δ of (ε, δ)-DP (default: 1e-5)")
    Double delta;

    /** The DP-SGD options, or null without --dp (then none of them may be given). */
    private org.sinter.cli.train.DpSettings dpSettings() {
        if (!dp) {
            if (noiseMultiplier != null || targetEpsilon != null || maxGradNorm != null || delta != null) {
                throw new UsageException("--noise-multiplier, --target-epsilon, --max-grad-norm and --delta configure DP-SGD; add --dp");
            }
            return null;
        }
        if (distributed) throw new UsageException("--dp trains in one process; drop --distributed");
        return new org.sinter.cli.train.DpSettings(noiseMultiplier, targetEpsilon,
                maxGradNorm != null ? maxGradNorm : org.sinter.cli.train.DpSettings.DEFAULT_MAX_GRAD_NORM,
                delta != null ? delta : org.sinter.cli.train.DpSettings.DEFAULT_DELTA);
    }

    /** The DDP communication hook --comm-hook names (one instance per model: some keep residuals). */
    private org.sinter.distributed.ddp.CommHook commHook() {
        String h = commHook == null ? "allreduce" : commHook;
        String[] parts = h.split(":", 2);
        try {
            return switch (parts[0]) {
                case "allreduce" -> org.sinter.distributed.ddp.CommHook.allReduce();
                case "fp16" -> org.sinter.distributed.ddp.CommHook.fp16Compress();
                case "float8" -> org.sinter.distributed.ddp.CommHook.float8AllGather();
                case "topk" -> new org.sinter.distributed.ddp.TopKHook(Double.parseDouble(argument(parts, "topk:RATIO")));
                case "powersgd" -> new org.sinter.distributed.ddp.PowerSgdHook(Integer.parseInt(argument(parts, "powersgd:RANK")));
                default -> throw new UsageException("--comm-hook: unknown hook '" + h + "'; use allreduce, fp16, float8, topk:RATIO or powersgd:RANK");
            };
        } catch (NumberFormatException e) {
            throw new UsageException("--comm-hook " + h + ": not a number after ':'");
        } catch (IllegalArgumentException e) {
            if (e instanceof UsageException u) throw u;
            throw new UsageException("--comm-hook " + h + ": " + e.getMessage());
        }
    }

    private static String argument(String[] parts, String form) {
        if (parts.length < 2 || parts[1].isEmpty()) throw new UsageException("--comm-hook: expected " + form);
        return parts[1];
    }

    @Override
    public Integer call() throws Exception {
        ModelSpec spec;
        try {
            spec = ModelSpec.of(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model: " + e.getMessage());
        }
        Path textFile = null;
        String ds = dataset;
        if (spec.kind == org.sinter.cli.train.Task.Kind.TEXT) {
            if (ds != null) textFile = Path.of(ds);
            ds = "text";
        } else if (ds == null) {
            ds = "mnist";
        }
        org.sinter.distributed.launch.LaunchEnv env = null;
        if (distributed) {
            if (device != null && !device.equals("cpu")) throw new UsageException("--distributed trains on the CPU; drop --device " + device);
            try {
                env = org.sinter.distributed.launch.LaunchEnv.fromEnvironment();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UsageException("--distributed: run under a launcher (sinter launch --nproc N, torchrun --no_python, mpirun, srun): "
                        + e.getMessage());
            }
        }
        // Ranks sharing a machine share its cores.
        int defaultThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / (env == null ? 1 : Math.max(1, env.localWorldSize())));
        RunConfig cfg = new RunConfig(spec, ds, dataDir, textFile,
                epochs != null ? epochs : spec.epochs,
                batchSize != null ? batchSize : spec.batchSize,
                lr != null ? lr : spec.lr,
                optimizer != null ? optimizer : spec.optimizer,
                gamma != null ? gamma : spec.gamma,
                threads != null ? threads : defaultThreads,
                seed, resume, out != null ? out : Path.of("runs", spec.id), profile, workers, checkpointEvery,
                maxSteps != null ? maxSteps : spec.maxStepsPerEpoch, overwrite, compile, device(),
                new RunConfig.Given(batchSize, lr, optimizer, gamma, dataset, textFile));
        if (commHook != null && env == null) throw new UsageException("--comm-hook needs --distributed");
        org.sinter.cli.train.DpSettings dpSettings = dpSettings();
        org.sinter.distributed.ddp.CommHook hook = env != null ? commHook() : null; // checked before joining the job
        Trainer.Result r;
        boolean lead = true;
        if (env != null) {
            try (org.sinter.distributed.ProcessGroup pg = org.sinter.distributed.Distributed.initProcessGroup()) {
                lead = pg.rank() == 0;
                // Only rank 0 talks: the launcher prefixes and interleaves every rank's lines.
                java.io.PrintStream log = lead ? System.out : new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
                r = new Trainer(cfg, log).distributed(pg, hook).privately(dpSettings).run();
            }
        } else {
            r = new Trainer(cfg, System.out).privately(dpSettings).run();
        }
        if (r.trained() && lead) {
            System.out.printf(java.util.Locale.ROOT, "final test accuracy %.2f%%, test loss %.4f%n", 100 * r.testAccuracy(), r.testLoss());
        }
        return 0;
    }
}
