package org.sinter.cli.train;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.sinter.cli.UsageException;

/**
 * Checks every option of a training run before anything is read or written, so that a command
 * line that cannot run fails at once and leaves an existing run directory as it was.
 */
public final class Options {
    private Options() {}

    public static final int MAX_EPOCHS = 1_000_000, MAX_BATCH = 1 << 20, MAX_THREADS = 4096, MAX_WORKERS = 256;
    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw", "adadelta", "rmsprop", "adagrad");

    public static void validate(RunConfig c) {
        range("--epochs", c.epochs(), 1, MAX_EPOCHS);
        range("--batch-size", c.batchSize(), 1, MAX_BATCH);
        if (!(c.lr() > 0) || Double.isInfinite(c.lr())) {
            throw new UsageException("--lr must be a positive finite number, got " + c.lr());
        }
        if (!(c.gamma() > 0 && c.gamma() <= 1)) {
            throw new UsageException("--gamma (the learning rate's decay per epoch) must be in (0, 1], got " + c.gamma());
        }
        if (!OPTIMIZERS.contains(c.optimizer().toLowerCase(Locale.ROOT))) {
            throw new UsageException("--optimizer: unknown optimizer '" + c.optimizer() + "' (" + String.join(", ", OPTIMIZERS) + ")");
        }
        range("--threads", c.threads(), 1, MAX_THREADS);
        range("--workers", c.workers(), 0, MAX_WORKERS);
        range("--checkpoint-every", c.checkpointEvery(), 0, Integer.MAX_VALUE);
        range("--max-steps", c.maxStepsPerEpoch(), 0, Integer.MAX_VALUE);
        if (c.model().kind == Task.Kind.IMAGE && !List.of("mnist", "fashion-mnist").contains(c.dataset())) {
            throw new UsageException("--dataset: unknown image dataset '" + c.dataset() + "' (mnist, fashion-mnist)");
        }
        if (c.model().kind == Task.Kind.TEXT && c.dataDir() != null) {
            throw new UsageException("--data-dir is for image datasets; give " + c.model().id + " its text with --dataset FILE");
        }
        if (c.resume() && c.overwrite()) throw new UsageException("--resume and --overwrite contradict each other; give one");
        if (Files.exists(c.out()) && !Files.isDirectory(c.out())) {
            throw new UsageException("--out " + c.out() + ": is a file, expected a run directory");
        }
    }

    private static void range(String name, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new UsageException(name + " must be " + (hi == Integer.MAX_VALUE ? "at least " + lo : "in [" + lo + ", " + hi + "]")
                    + ", got " + v);
        }
    }
}
