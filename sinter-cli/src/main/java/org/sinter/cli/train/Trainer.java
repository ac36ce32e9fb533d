package org.sinter.cli.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.cli.UsageException;
import org.sinter.cli.io.InputFiles;
import org.sinter.cli.progress.ProgressBar;
import org.sinter.data.Batch;
import org.sinter.data.BatchIterator;
import org.sinter.data.DataLoader;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.ddp.CommHook;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.nn.Module;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.CheckpointDirectory;
import org.sinter.nn.io.SafeTensors;
import org.sinter.optim.Optimizer;
import org.sinter.optim.lr.StepLR;
import org.sinter.profiler.GraphExport;
import org.sinter.profiler.Profiler;

/**
 * The training loop behind {@code sinter train}: epochs of shuffled batches, per-epoch test
 * evaluation, a StepLR schedule, checkpoints written atomically during and after each epoch,
 * metrics as CSV, charts as PNG, and an optional profile of a window of steps.
 *
 * <p>Resuming restores the model, optimizer, schedule, global RNG (dropout) and the data order of
 * the interrupted epoch (the loader generator's state at its start, plus the number of batches
 * done), so a resumed run produces the same losses as one that was never interrupted.
 *
 * <p>Nothing in the output directory is written until everything that can be checked has been:
 * the options, the lock, the data, the checkpoint being resumed. A run that is refused leaves an
 * earlier run's files as they were.
 *
 * <p>{@link #distributed} trains data-parallel: every rank draws the same shuffled order in global
 * batches of {@code --batch-size} × ranks, reads only its part of each, and {@link DistributedDataParallel}
 * averages the gradients, so the run follows one process with the global batch (an incomplete
 * last global batch is dropped). Rank 0 owns the run directory (lock, checkpoints, metrics,
 * evaluation, the model file); every rank restores the same checkpoint on {@code --resume}.
 */
public final class Trainer {
    /** Profile this window of steps of the first epoch run (after warm-up). */
    static final int PROFILE_FROM = 10, PROFILE_TO = 20;

    private RunConfig cfg;
    private final PrintStream log;
    private ProcessGroup group;
    private CommHook commHook;
    private DpSettings dpSettings;
    private DpTraining dp;

    public Trainer(RunConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** The outcome of a run: the last epoch's test metrics; {@code trained} is false when there was nothing left to do. */
    public record Result(double testLoss, double testAccuracy, long steps, boolean trained) {}

    /** Trains data-parallel over {@code group} (see the class comment); call before {@link #run()}. */
    public Trainer distributed(ProcessGroup group) {
        return distributed(group, CommHook.allReduce());
    }

    /** {@link #distributed(ProcessGroup)}, the gradients reduced by {@code hook} (compression). */
    public Trainer distributed(ProcessGroup group, CommHook hook) {
        this.group = group;
        this.commHook = hook;
        return this;
    }

    /** Trains with DP-SGD ({@link DpTraining}); call before {@link #run()}. */
    public Trainer privately(DpSettings settings) {
        this.dpSettings = settings;
        return this;
    }

    private boolean lead() {
        return group == null || group.rank() == 0;
    }

    private int world() {
        return group == null ? 1 : group.size();
    }

    public Result run() throws IOException {
        Options.validate(cfg);
        if (dpSettings != null) dpSettings.checkRun(cfg, group != null);
        if (!lead()) return run(null); // rank 0 holds the directory; the others only read checkpoints
        try (RunDirectory runDir = RunDirectory.lock(cfg.out())) {
            return run(runDir);
        }
    }

    /**
     * Every rank reports whether its checks passed, so that a rank that failed stops the others with
     * an error naming it instead of leaving them waiting in the first all-reduce.
     */
    private void agreeToStart(boolean failedHere) {
        if (group == null) return;
        Tensor failed = Tensor.of(new int[] {failedHere ? group.rank() + 1 : 0}, 1);
        group.allReduce(failed, ReduceOp.MAX);
        int who = failed.toIntArray()[0];
        if (!failedHere && who != 0) throw new IllegalStateException("rank " + (who - 1) + " refused to start the run (its message says why)");
    }

    private Result run(RunDirectory runDir) throws IOException {
        Path out = cfg.out();
        CheckpointDirectory checkpoints = runDir != null ? runDir.checkpoints() : new CheckpointDirectory(out.resolve("checkpoint"));
        Setup setup;
        try {
            setup = setUp(runDir, checkpoints);
        } catch (IOException | RuntimeException e) {
            agreeToStart(true);
            throw e;
        }
        agreeToStart(false);
        return train(runDir, checkpoints, setup);
    }

    /** What the checks before the first write produce. */
    private record Setup(TrainingState resumed, Task task, Module model, Optimizer opt, StepLR sched, int batches) {}

    private Setup setUp(RunDirectory runDir, CheckpointDirectory checkpoints) throws IOException {
        TrainingState resumed = null;
        if (cfg.resume()) {
            for (Path f : List.of(checkpoints.lastFile(), checkpoints.prevFile())) {
                if (Files.exists(f)) InputFiles.regularFile(f, "checkpoint", InputFiles.MODEL_LIMIT);
            }
            Optional<CheckpointDirectory.Loaded> found = checkpoints.loadLatestFile();
            if (found.isPresent()) {
                resumed = TrainingState.parse(found.get().file(), found.get().checkpoint());
                adoptRunSettings(resumed);
            } else {
                if (runDir != null) runDir.requireFreshStartAllowed(false, true);
                log.println("no checkpoint in " + checkpoints.dir() + "; starting fresh");
            }
        } else if (runDir != null) {
            runDir.requireFreshStartAllowed(cfg.overwrite(), false);
        }

        Sinter.setNumThreads(cfg.threads());
        Sinter.manualSeed(cfg.seed());
        Task task = cfg.model().kind == Task.Kind.TEXT ? TextTask.forTraining(cfg.model(), cfg.textFile())
                : new ImageTask(cfg.model(), cfg.dataset(), cfg.dataDir());
        Module model = task.createModel();
        if (cfg.device().type() != org.sinter.Device.Type.CPU) model.to(cfg.device()); // parameters keep their identity
        Optimizer opt = Optimizers.create(cfg.optimizer(), model.parameters(), cfg.lr());
        StepLR sched = new StepLR(opt, 1, cfg.gamma());
        int batches = batchesPerEpoch(task);
        if (task.testLoader(256, 0).size() == 0) throw new IllegalArgumentException(cfg.dataset() + ": the test set is empty");
        if (resumed != null) restore(resumed, task, model, opt, sched, batches);
        if (dpSettings != null) {
            int examples = task.trainLoader(new Generator(0), 1, 0).dataset().size();
            dp = DpTraining.create(dpSettings, cfg.model().id, model, opt, examples, cfg.batchSize(), (long) cfg.epochs() * batches,
                    cfg.seed(), resumed);
        } else if (resumed != null && resumed.extra().containsKey(DpTraining.SIGMA)) {
            throw new UsageException("--resume: the run in " + resumed.file() + " was trained with DP-SGD (--dp); give --dp to continue it"
                    + " privately (its σ, C and δ are taken from the checkpoint), or start a new run");
        }
        return new Setup(resumed, task, model, opt, sched, batches);
    }

    private Result train(RunDirectory runDir, CheckpointDirectory checkpoints, Setup setup) throws IOException {
        Path out = cfg.out();
        TrainingState resumed = setup.resumed();
        Task task = setup.task();
        Module model = setup.model();
        Optimizer opt = setup.opt();
        StepLR sched = setup.sched();
        int batches = setup.batches();
        Generator loaderGen = new Generator(cfg.seed() + 1);
        // Forward through DDP (it averages the gradients); the inner model is what is saved and evaluated.
        Module forward = dp != null ? dp.module() : model;
        DistributedDataParallel ddp = null;
        if (group != null) {
            ddp = new DistributedDataParallel(model, group);
            ddp.registerCommHook(commHook);
            forward = ddp;
        }
        int startEpoch = 0, skip = 0;
        long step = 0;
        double[] running = new double[3]; // loss sum, correct, count of the current epoch
        if (resumed != null) {
            if (resumed.epoch() >= cfg.epochs()) {
                log.printf(Locale.ROOT, "run in %s already finished %d epoch%s; nothing to do (--epochs %d; give a larger --epochs to"
                        + " train further)%n", out, resumed.epoch(), resumed.epoch() == 1 ? "" : "s", cfg.epochs());
                return new Result(Double.NaN, Double.NaN, resumed.step(), false);
            }
            startEpoch = resumed.epoch();
            step = resumed.step();
            skip = resumed.batchInEpoch();
            loaderGen.setState(resumed.loaderState());
            running = resumed.running().clone();
        }

        // From here on the run writes to its directory (rank 0 only, when distributed).
        Metrics metrics = lead() ? new Metrics(out) : null;
        if (resumed != null) {
            if (metrics != null) metrics.resumeFrom(step, startEpoch);
            log.printf(Locale.ROOT, "resumed from %s: epoch %d, step %d%n", resumed.file(), startEpoch + 1, step);
        } else if (metrics != null) {
            if (cfg.overwrite()) runDir.clear();
            metrics.start();
        }
        log.println(task.describe());
        if (!task.baseline().isEmpty()) log.println(task.baseline());
        log.printf(Locale.ROOT, "model %s: %,d parameters; %s lr %g, batch %d, %d epochs, %d threads%n", cfg.model().id,
                model.parameters().stream().mapToLong(Tensor::numel).sum(), cfg.optimizer(),
                opt.paramGroups().get(0).getDouble("lr"), cfg.batchSize(), cfg.epochs(), cfg.threads());
        if (group != null) {
            log.printf(Locale.ROOT, "data parallel over %d ranks (%s): batch %d per rank, global batch %d%n", world(),
                    String.join("/", group.transports()), cfg.batchSize(), globalBatch());
        }

        // Data parallel, the compiled graph stops at the gradients: they are averaged over the ranks before the optimizer steps.
        CompiledTrainingStep compiled = !cfg.compile() ? null : ddp != null
                ? new CompiledTrainingStep(model, task::loss, org.sinter.compiler.CompileOptions.defaults())
                : new CompiledTrainingStep(model, task::loss, opt, org.sinter.compiler.CompileOptions.defaults());
        if (dp != null) log.println(dp.describe());
        if (compiled != null) {
            log.println(ddp != null ? "compiled training: each step's forward and backward run as one graph (sinter-compiler), its gradients"
                    + " averaged over the ranks, then the optimizer steps" : "compiled training: each step's forward, backward and optimizer update run as one graph (sinter-compiler)");
        }
        Result result = new Result(Double.NaN, Double.NaN, step, true);
        boolean profiled = false, firstStep = true, checkpointed = false;
        List<String> charts = List.of();
        for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
            long[] epochLoaderState = loaderGen.state();
            DataLoader<Batch> loader = task.trainLoader(loaderGen, globalBatch(), cfg.workers());
            if (group != null) loader = loader.shard(group.rank(), world()); // each rank reads and decodes only its part
            // Profile steps 10-19 of this process's first epoch; a shorter epoch gets what it has.
            int left = batches - skip, profFrom = left >= PROFILE_TO ? PROFILE_FROM : 0, profTo = Math.min(PROFILE_TO, left);
            long t0 = System.nanoTime();
            model.train();
            Profiler prof = null;
            // DP-SGD draws Poisson batches over the same examples instead of the shuffled loader's.
            try (BatchIterator<Batch> shuffled = dp == null ? loader.iterator() : null;
                 // The epoch's samples: its last batch may be short (MNIST's 60000 in batches of 128).
                 ProgressBar bar = ProgressBar.builder(Math.min((long) batches * globalBatch(), loader.dataset().size()))
                         .label(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, cfg.epochs())).out(log).build()) {
                java.util.Iterator<Batch> it = dp == null ? shuffled : dp.epoch(loader.dataset(), loaderGen);
                int b = 0;
                while (b < batches && it.hasNext()) {
                    Batch batch = it.next();
                    int samples = batch.size() * world(); // of the global batch (the sharded loader drops an incomplete one)
                    if (b < skip) { b++; bar.advance(samples); continue; }
                    boolean profiling = lead() && cfg.profile() && !profiled && b - skip >= profFrom;
                    if (profiling && prof == null) prof = Profiler.start();
                    opt.zeroGrad();
                    Task.Step s;
                    if (compiled != null && ddp != null) {
                        ddp.syncBuffers();
                        s = compiledStep(compiled, task, batch.to(cfg.device())); // forward and backward in one graph
                        ddp.reduceGradients();
                    } else if (compiled != null) {
                        s = compiledStep(compiled, task, batch.to(cfg.device())); // forward, backward and the update in one graph
                    } else {
                        s = task.step(forward, batch, cfg.device());
                        if (lead() && cfg.profile() && firstStep) Files.writeString(out.resolve("model.dot"), GraphExport.toDot(s.loss()));
                        s.loss().backward();
                    }
                    firstStep = false;
                    if (dp != null) dp.step();
                    else if (compiled == null || ddp != null) opt.step();
                    step++;
                    b++;
                    double[] sums = globalSums(s); // loss sum, correct, count over all ranks
                    double lossValue = sums[0] / sums[2];
                    if (metrics != null && sums[2] > 0) metrics.addStep(new Metrics.StepRow(step, epoch + 1, lossValue, opt.paramGroups().get(0).getDouble("lr")));
                    running[0] += sums[0];
                    running[1] += sums[1];
                    running[2] += sums[2];
                    bar.step(samples, running[0] / Math.max(1, running[2]), running[1] / Math.max(1, running[2]));
                    if (prof != null && b - skip >= profTo) {
                        prof.close();
                        reportProfile(prof, out, profFrom, profTo, left);
                        prof = null;
                        profiled = true;
                    }
                    if (lead() && cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0 && b < batches) {
                        save(checkpoints, task, model, opt, sched, epoch, step, b, epochLoaderState, running);
                        checkpointed = true;
                    }
                }
            } finally {
                if (prof != null) prof.close();
            }
            skip = 0;
            double trainLoss = running[0] / Math.max(1, running[2]), trainAcc = running[1] / Math.max(1, running[2]);
            java.util.Arrays.fill(running, 0);
            sched.step();
            if (!lead()) continue; // rank 0 evaluates and writes; the others go on to the next epoch's first all-reduce
            double[] test = Evaluation.evaluate(task, model, cfg.device());
            double seconds = (System.nanoTime() - t0) / 1e9;
            metrics.addEpoch(new Metrics.EpochRow(epoch + 1, trainLoss, trainAcc, test[0], test[1], seconds));
            log.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1f s%n", epoch + 1,
                    trainLoss, 100 * trainAcc, test[0], 100 * test[1], seconds);
            if (dp != null) log.println(dp.epochLine(epoch + 1));
            save(checkpoints, task, model, opt, sched, epoch + 1, step, 0, loaderGen.state(), running);
            checkpointed = true;
            charts = writeCharts(out, metrics, batches);
            result = new Result(test[0], test[1], step, true);
        }
        if (!lead()) {
            group.barrier(); // until rank 0 wrote the model
            return result;
        }
        SafeTensors.save(model.stateDict(), out.resolve("model.safetensors"), modelMetadata(task));
        if (group != null) group.barrier();
        // Name only what this run wrote.
        List<String> wrote = new ArrayList<>(List.of(out.resolve("model.safetensors").toString()));
        if (checkpointed) wrote.add("checkpoints in " + checkpoints.dir());
        if (!charts.isEmpty()) wrote.add("charts " + String.join(" and ", charts));
        wrote.add("metrics steps.csv and epochs.csv");
        log.println("wrote " + String.join(", ", wrote));
        if (task instanceof TextTask tt) {
            String prompt = samplePrompt(tt);
            log.println("sample: " + Sampler.sample(model, tt.dataset().vocabulary(), prompt, 200, 0.8, new Generator(cfg.seed())));
        }
        return result;
    }

    /** The global batch, of which each rank reads its part: {@code --batch-size} × ranks. */
    private int globalBatch() {
        return cfg.batchSize() * world();
    }

    /** The step's loss sum, correct predictions and examples, summed over the ranks. */
    private double[] globalSums(Task.Step s) {
        // An empty Poisson batch (DP-SGD) has a NaN mean loss and weighs nothing.
        double[] local = {s.count() == 0 ? 0 : s.loss().item() * s.count(), s.correct(), s.count()};
        if (group == null) return local;
        Tensor t = Tensor.of(local, 3);
        group.allReduce(t, ReduceOp.SUM);
        return t.toDoubleArray();
    }

    /** Batches per epoch; a data set too small for one batch is an error, not a run of zero steps. */
    private int batchesPerEpoch(Task task) {
        DataLoader<Batch> probe = task.trainLoader(new Generator(0), globalBatch(), 0);
        int n = dpSettings != null ? DpTraining.batchesPerEpoch(probe.dataset().size(), globalBatch()) : probe.size();
        // Distributed, the incomplete last global batch of images is dropped (text loaders drop it already).
        if (group != null && cfg.model().kind == Task.Kind.IMAGE && probe.dataset().size() % globalBatch() != 0) n--;
        if (n <= 0) {
            throw new IllegalArgumentException("the training set has " + probe.dataset().size() + " examples, fewer than one batch of "
                    + globalBatch() + (group != null ? " (" + cfg.batchSize() + " per rank × " + world() + " ranks)" : "")
                    + (cfg.model().kind == Task.Kind.TEXT ? " (an incomplete last batch is dropped)" : "")
                    + "; give a smaller --batch-size or more data");
        }
        return cfg.maxStepsPerEpoch() > 0 ? Math.min(cfg.maxStepsPerEpoch(), n) : n;
    }

    /**
     * A resumed run continues with the settings it was started with: options not given take the
     * checkpoint's values, and options given must agree with them (another batch size would skip
     * the wrong examples; another optimizer cannot take this one's state; the learning rate and
     * its schedule are part of the state being resumed; another dataset is another run).
     */
    private void adoptRunSettings(TrainingState s) {
        RunConfig.Given g = cfg.given();
        Map<String, String> x = s.extra();
        String id = x.get("model");
        if (id != null && !id.equals(cfg.model().id)) {
            throw new UsageException("--resume: the checkpoint " + s.file() + " is for model '" + id + "', not '" + cfg.model().id + "'");
        }
        int batch = cfg.batchSize();
        if (x.containsKey(TrainingState.BATCH_SIZE)) {
            batch = (int) TrainingState.parseLong(s.file(), x, TrainingState.BATCH_SIZE, "0", 1, Options.MAX_BATCH);
            if (g.batchSize() != null && g.batchSize() != batch) throw conflict(s, "--batch-size", g.batchSize(), batch);
        }
        String optimizer = x.getOrDefault(TrainingState.OPTIMIZER, cfg.optimizer());
        if (!Options.OPTIMIZERS.contains(optimizer)) {
            throw TrainingState.bad(s.file(), "extra." + TrainingState.OPTIMIZER, optimizer, "one of " + Options.OPTIMIZERS);
        }
        if (g.optimizer() != null && !g.optimizer().equalsIgnoreCase(optimizer)) throw conflict(s, "--optimizer", g.optimizer(), optimizer);
        Double lr = s.recordedDouble(TrainingState.LR), gamma = s.recordedDouble(TrainingState.GAMMA);
        if (g.lr() != null && !g.lr().equals(lr)) {
            throw new UsageException("--resume: --lr " + g.lr() + " differs from the run's " + (lr == null ? "(unrecorded)" : lr)
                    + " in " + s.file() + "; a resumed run keeps its learning rate and schedule. Drop --lr, or start a new run"
                    + " (--overwrite or another --out)");
        }
        if (g.gamma() != null && !g.gamma().equals(gamma)) throw conflict(s, "--gamma", g.gamma(), gamma == null ? "(unrecorded)" : gamma);
        Path text = cfg.textFile();
        String ds = x.get(TrainingState.DATASET), images = cfg.dataset();
        if (cfg.model().kind == Task.Kind.IMAGE && ds != null) {
            if (g.dataset() != null && !g.dataset().equals(ds)) throw conflict(s, "--dataset", g.dataset(), ds);
            images = ds;
        }
        if (cfg.model().kind == Task.Kind.TEXT && ds != null) {
            Path recorded = ds.equals(TextTask.BUNDLED) ? null : Path.of(ds);
            if (g.textFile() != null && !g.textFile().toAbsolutePath().equals(recorded)) {
                throw conflict(s, "--dataset", g.textFile(), recorded == null ? "the bundled text" : recorded);
            }
            text = recorded;
        }
        cfg = cfg.withRun(batch, lr != null ? lr : cfg.lr(), optimizer, gamma != null ? gamma : cfg.gamma(), images, text);
        Options.validate(cfg);
    }

    private static UsageException conflict(TrainingState s, String option, Object given, Object run) {
        return new UsageException("--resume: " + option + " " + given + " differs from the run's " + run + " (recorded in " + s.file()
                + "); drop " + option + " to continue the run, or start a new one (--overwrite or another --out)");
    }

    /** Loads the checkpoint's model, optimizer, schedule and RNG after checking each fits, naming the file when one does not. */
    private void restore(TrainingState s, Task task, Module model, Optimizer opt, StepLR sched, int batches) throws IOException {
        Checkpoint c = s.checkpoint();
        if (s.batchInEpoch() >= batches) {
            throw TrainingState.bad(s.file(), "extra.batch_in_epoch", Integer.toString(s.batchInEpoch()), "less than the "
                    + batches + " batches of an epoch");
        }
        if (task instanceof TextTask tt && s.extra().containsKey(Vocabularies.KEY)
                && !s.extra().get(Vocabularies.KEY).equals(Vocabularies.encode(tt.dataset().vocabulary()))) {
            throw new IllegalArgumentException("--resume: the checkpoint " + s.file() + " was trained on a text with another vocabulary ("
                    + Vocabularies.decode(s.extra().get(Vocabularies.KEY)).size() + " characters) than " + tt.dataset().name() + " ("
                    + tt.dataset().vocabulary().size() + ")");
        }
        try {
            model.loadStateDict(c.modelState(), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + s.file() + ": its model state does not fit " + cfg.model().id + ": "
                    + e.getMessage(), e);
        }
        OptimizerStateCheck.check(s.file(), cfg.optimizer(), cfg.lr(), model.parameters(), c.optimizerState().tensors(),
                c.optimizerState().values(), s.step());
        try {
            c.restore(opt, sched, Generator.global());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + s.file() + ": cannot restore the optimizer or schedule: " + e.getMessage(), e);
        }
    }

    private String samplePrompt(TextTask tt) {
        // The bundled text's prompt, where the user's text has its characters; else the text's own opening.
        String p = "And God said";
        if (Vocabularies.missing(tt.dataset().vocabulary(), p).isEmpty()) return p;
        String text = tt.dataset().text();
        return text.substring(0, text.offsetByCodePoints(0, Math.min(12, text.codePointCount(0, text.length()))));
    }

    private Map<String, String> modelMetadata(Task task) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", cfg.model().id);
        m.put("format", "sinter-model");
        if (dp != null) m.putAll(dp.metadata());
        if (task instanceof TextTask tt) {
            m.put(Vocabularies.KEY, Vocabularies.encode(tt.dataset().vocabulary()));
            m.put(TrainingState.DATASET, tt.source());
        }
        return m;
    }

    private void save(CheckpointDirectory dir, Task task, Module model, Optimizer opt, StepLR sched, int epoch, long step,
                      int batchInEpoch, long[] loaderState, double[] running) throws IOException {
        Checkpoint.Builder b = Checkpoint.builder().model(model.stateDict()).optimizer(opt).scheduler(sched).rng(Generator.global())
                .epoch(epoch).step(step)
                .extra("model", cfg.model().id)
                .extra("batch_in_epoch", Integer.toString(batchInEpoch))
                .extra("loader_state", formatState(loaderState))
                .extra("running", running[0] + "," + running[1] + "," + running[2])
                .extra(TrainingState.BATCH_SIZE, Integer.toString(cfg.batchSize()))
                .extra(TrainingState.OPTIMIZER, cfg.optimizer().toLowerCase(Locale.ROOT))
                .extra(TrainingState.LR, Double.toString(cfg.lr()))
                .extra(TrainingState.GAMMA, Double.toString(cfg.gamma()));
        if (dp != null) dp.checkpointExtras().forEach(b::extra);
        if (task instanceof TextTask tt) {
            b.extra(Vocabularies.KEY, Vocabularies.encode(tt.dataset().vocabulary())).extra(TrainingState.DATASET, tt.source());
        } else {
            b.extra(TrainingState.DATASET, cfg.dataset());
        }
        dir.save(b.build());
    }

    private void reportProfile(Profiler prof, Path out, int from, int to, int stepsInEpoch) throws IOException {
        String table = prof.keyAverages().table("self_cpu_time_total", 25);
        if (from != PROFILE_FROM) {
            log.println("profile: the epoch has only " + stepsInEpoch + " steps to run, fewer than " + PROFILE_TO
                    + "; profiling steps " + from + "-" + (to - 1) + ", warm-up included");
        }
        log.println("profile of steps " + from + "-" + (to - 1) + " (batch " + cfg.batchSize() + "):");
        log.println(table);
        Files.writeString(out.resolve("profile.txt"), table);
        prof.exportChromeTrace(out.resolve("trace.json"));
        log.println("wrote profile.txt, trace.json (open in Perfetto) and model.dot (Graphviz)");
    }

    static String formatState(long[] s) {
        StringBuilder sb = new StringBuilder();
        for (long v : s) sb.append(sb.isEmpty() ? "" : ",").append(v);
        return sb.toString();
    }

    /** One compiled step on an image batch (on the model's device): the loss, and the correct predictions from the model's output. */
    private static Task.Step compiledStep(CompiledTrainingStep compiled, Task task, Batch batch) {
        CompiledTrainingStep.Result r = compiled.run(batch.input(), batch.target());
        return new Task.Step(r.loss(), task.correct(r.output(), batch.target()), batch.target().numel());
    }

    private boolean chartsFailed;

    /**
     * The PNG charts; a machine that cannot render text (no fonts, as on some headless servers) gets
     * a warning instead, and the run, its checkpoints and its CSV metrics go on.
     */
    private List<String> writeCharts(Path out, Metrics metrics, int batches) throws IOException {
        if (chartsFailed) return List.of();
        try {
            return Charts.write(out, metrics, batches);
        } catch (RuntimeException | LinkageError e) {
            chartsFailed = true;
            log.println("warning: no charts (this machine cannot render them: " + e.getMessage() + "); steps.csv and epochs.csv have the data");
            return List.of();
        }
    }
}
