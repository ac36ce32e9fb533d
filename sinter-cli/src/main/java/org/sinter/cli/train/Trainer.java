package org.sinter.cli.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.progress.ProgressBar;
import org.sinter.data.Batch;
import org.sinter.data.BatchIterator;
import org.sinter.data.DataLoader;
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
 */
public final class Trainer {
    /** Profile this window of steps of the first epoch run (after warm-up). */
    static final int PROFILE_FROM = 10, PROFILE_TO = 20;

    private final RunConfig cfg;
    private final PrintStream log;

    public Trainer(RunConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** The outcome of a run: the last epoch's test metrics. */
    public record Result(double testLoss, double testAccuracy, long steps) {}

    public Result run() throws IOException {
        Sinter.setNumThreads(cfg.threads());
        Sinter.manualSeed(cfg.seed());
        Path out = cfg.out();
        Files.createDirectories(out);
        Task task = cfg.model().kind == Task.Kind.TEXT ? new TextTask(cfg.textFile())
                : new ImageTask(cfg.model(), cfg.dataset(), cfg.dataDir());
        Module model = task.createModel();
        Optimizer opt = Optimizers.create(cfg.optimizer(), model.parameters(), cfg.lr());
        StepLR sched = new StepLR(opt, 1, cfg.gamma());
        Generator loaderGen = new Generator(cfg.seed() + 1);
        CheckpointDirectory checkpoints = new CheckpointDirectory(out.resolve("checkpoint"));
        Metrics metrics = new Metrics(out);

        int startEpoch = 0, skip = 0;
        long step = 0;
        double[] running = new double[3]; // loss sum, correct, count of the current epoch
        Optional<Checkpoint> resumed = cfg.resume() ? checkpoints.loadLatest() : Optional.empty();
        if (cfg.resume() && resumed.isEmpty()) log.println("no checkpoint in " + checkpoints.dir() + "; starting fresh");
        if (resumed.isPresent()) {
            Checkpoint c = resumed.get();
            String id = c.extra().get("model");
            if (id != null && !id.equals(cfg.model().id)) {
                throw new IllegalArgumentException("--resume: the checkpoint in " + checkpoints.dir() + " is for model '" + id
                        + "', not '" + cfg.model().id + "'");
            }
            model.loadStateDict(c.modelState(), true);
            c.restore(opt, sched, Generator.global());
            startEpoch = (int) c.epoch();
            step = c.step();
            skip = Integer.parseInt(c.extra().getOrDefault("batch_in_epoch", "0"));
            loaderGen.setState(parseState(c.extra().get("loader_state")));
            String[] r = c.extra().getOrDefault("running", "0,0,0").split(",");
            for (int i = 0; i < 3; i++) running[i] = Double.parseDouble(r[i]);
            metrics.resumeFrom(step, startEpoch);
            log.printf(Locale.ROOT, "resumed from %s: epoch %d, step %d%n", checkpoints.dir(), startEpoch + 1, step);
        } else {
            metrics.start();
        }
        log.println(task.describe());
        if (!task.baseline().isEmpty()) log.println(task.baseline());
        log.printf(Locale.ROOT, "model %s: %,d parameters; %s lr %g, batch %d, %d epochs, %d threads%n", cfg.model().id,
                model.parameters().stream().mapToLong(Tensor::numel).sum(), cfg.optimizer(), cfg.lr(), cfg.batchSize(),
                cfg.epochs(), cfg.threads());

        Result result = new Result(Double.NaN, Double.NaN, step);
        boolean profiled = false;
        for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
            long[] epochLoaderState = loaderGen.state();
            DataLoader<Batch> loader = task.trainLoader(loaderGen, cfg.batchSize(), cfg.workers());
            int batches = cfg.maxStepsPerEpoch() > 0 ? Math.min(cfg.maxStepsPerEpoch(), loader.size()) : loader.size();
            long t0 = System.nanoTime();
            model.train();
            Profiler prof = null;
            try (BatchIterator<Batch> it = loader.iterator();
                 // The epoch's samples: its last batch may be short (MNIST's 60000 in batches of 128).
                 ProgressBar bar = ProgressBar.builder(Math.min((long) batches * cfg.batchSize(), loader.dataset().size()))
                         .label(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, cfg.epochs())).out(log).build()) {
                int b = 0;
                while (b < batches && it.hasNext()) {
                    Batch batch = it.next();
                    if (b < skip) { b++; bar.advance(batch.size()); continue; }
                    boolean profiling = cfg.profile() && !profiled && b - skip >= PROFILE_FROM;
                    if (profiling && prof == null) prof = Profiler.start();
                    opt.zeroGrad();
                    Task.Step s = task.step(model, batch);
                    if (cfg.profile() && step == 0) Files.writeString(out.resolve("model.dot"), GraphExport.toDot(s.loss()));
                    s.loss().backward();
                    opt.step();
                    step++;
                    b++;
                    double lossValue = s.loss().item();
                    metrics.addStep(new Metrics.StepRow(step, epoch + 1, lossValue, opt.paramGroups().get(0).getDouble("lr")));
                    running[0] += lossValue * s.count();
                    running[1] += s.correct();
                    running[2] += s.count();
                    bar.step(batch.size(), running[0] / running[2], running[1] / running[2]);
                    if (prof != null && b - skip >= PROFILE_TO) {
                        prof.close();
                        reportProfile(prof, out);
                        prof = null;
                        profiled = true;
                    }
                    if (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0 && b < batches) {
                        save(checkpoints, model, opt, sched, epoch, step, b, epochLoaderState, running);
                    }
                }
            } finally {
                if (prof != null) prof.close();
            }
            skip = 0;
            double trainLoss = running[0] / Math.max(1, running[2]), trainAcc = running[1] / Math.max(1, running[2]);
            java.util.Arrays.fill(running, 0);
            sched.step();
            double[] test = Evaluation.evaluate(task, model);
            double seconds = (System.nanoTime() - t0) / 1e9;
            metrics.addEpoch(new Metrics.EpochRow(epoch + 1, trainLoss, trainAcc, test[0], test[1], seconds));
            log.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1f s%n", epoch + 1,
                    trainLoss, 100 * trainAcc, test[0], 100 * test[1], seconds);
            save(checkpoints, model, opt, sched, epoch + 1, step, 0, loaderGen.state(), running);
            Charts.write(out, metrics, batches);
            result = new Result(test[0], test[1], step);
        }
        SafeTensors.save(model.stateDict(), out.resolve("model.safetensors"),
                Map.of("model", cfg.model().id, "format", "sinter-model"));
        log.println("wrote " + out.resolve("model.safetensors") + ", checkpoints in " + checkpoints.dir()
                + ", charts loss.png and accuracy.png, metrics steps.csv and epochs.csv");
        if (task instanceof TextTask tt) {
            log.println("sample: " + Sampler.sample(model, tt.dataset().vocabulary(), "And God said", 200, 0.8, new Generator(cfg.seed())));
        }
        return result;
    }

    private void save(CheckpointDirectory dir, Module model, Optimizer opt, StepLR sched, int epoch, long step, int batchInEpoch,
                      long[] loaderState, double[] running) throws IOException {
        dir.save(Checkpoint.builder().model(model.stateDict()).optimizer(opt).scheduler(sched).rng(Generator.global())
                .epoch(epoch).step(step)
                .extra("model", cfg.model().id)
                .extra("batch_in_epoch", Integer.toString(batchInEpoch))
                .extra("loader_state", formatState(loaderState))
                .extra("running", running[0] + "," + running[1] + "," + running[2])
                .build());
    }

    private void reportProfile(Profiler prof, Path out) throws IOException {
        String table = prof.keyAverages().table("self_cpu_time_total", 25);
        log.println("profile of steps " + PROFILE_FROM + "-" + (PROFILE_TO - 1) + " (batch " + cfg.batchSize() + "):");
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

    static long[] parseState(String s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("checkpoint lacks the data loader state (loader_state)");
        String[] f = s.split(",");
        long[] r = new long[f.length];
        for (int i = 0; i < f.length; i++) r[i] = Long.parseLong(f[i]);
        return r;
    }
}
