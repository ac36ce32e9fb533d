package org.sinter.cli.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.cli.io.InputFiles;
import org.sinter.io.AtomicFiles;

/**
 * The run's history, kept as two CSV files in the output directory: {@code steps.csv} (every
 * step's loss and learning rate) and {@code epochs.csv} (per-epoch train and test metrics). On
 * resume, rows past the checkpoint are dropped, so the files read as one uninterrupted run.
 */
final class Metrics {
    record StepRow(long step, int epoch, double loss, double lr) {}

    record EpochRow(int epoch, double trainLoss, double trainAcc, double testLoss, double testAcc, double seconds) {}

    private final Path stepsFile, epochsFile;
    final List<StepRow> steps = new ArrayList<>();
    final List<EpochRow> epochs = new ArrayList<>();

    Metrics(Path dir) {
        stepsFile = dir.resolve("steps.csv");
        epochsFile = dir.resolve("epochs.csv");
    }

    /** Loads the history up to (and including) {@code step} and {@code epochsDone}, rewriting the files. */
    void resumeFrom(long step, int epochsDone) throws IOException {
        if (Files.exists(stepsFile)) {
            InputFiles.regularFile(stepsFile, "run file", InputFiles.TEXT_LIMIT);
            for (String line : Files.readAllLines(stepsFile, StandardCharsets.UTF_8)) {
                if (line.startsWith("step")) continue;
                StepRow r = parseStep(line);
                if (r != null && r.step() <= step) steps.add(r);
            }
        }
        if (Files.exists(epochsFile)) {
            InputFiles.regularFile(epochsFile, "run file", InputFiles.TEXT_LIMIT);
            for (String line : Files.readAllLines(epochsFile, StandardCharsets.UTF_8)) {
                if (line.startsWith("epoch")) continue;
                EpochRow r = parseEpoch(line);
                if (r != null && r.epoch() <= epochsDone) epochs.add(r);
            }
        }
        rewrite();
    }

    /** A step row, or null for a line a kill cut short (it lies past the checkpoint anyway). */
    private static StepRow parseStep(String line) {
        String[] f = line.split(",");
        if (f.length != 4) return null;
        try {
            return new StepRow(Long.parseLong(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An epoch row, or null for a line a kill cut short or that is otherwise unreadable. */
    private static EpochRow parseEpoch(String line) {
        String[] f = line.split(",");
        if (f.length != 6) return null;
        try {
            return new EpochRow(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void start() throws IOException {
        steps.clear();
        epochs.clear();
        rewrite();
    }

    void addStep(StepRow r) throws IOException {
        steps.add(r);
        Files.writeString(stepsFile, stepLine(r), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    void addEpoch(EpochRow r) throws IOException {
        epochs.add(r);
        Files.writeString(epochsFile, epochLine(r), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private void rewrite() throws IOException {
        StringBuilder s = new StringBuilder("step,epoch,loss,lr\n");
        for (StepRow r : steps) s.append(stepLine(r));
        // Atomic, so a kill while resuming never loses the history before the checkpoint.
        AtomicFiles.write(stepsFile, s.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder e = new StringBuilder("epoch,train_loss,train_acc,test_loss,test_acc,seconds\n");
        for (EpochRow r : epochs) e.append(epochLine(r));
        AtomicFiles.write(epochsFile, e.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String stepLine(StepRow r) {
        // Full precision (%.17g) so resumed runs can be compared bit for bit with uninterrupted ones.
        return String.format(Locale.ROOT, "%d,%d,%.17g,%.17g%n", r.step(), r.epoch(), r.loss(), r.lr());
    }

    private static String epochLine(EpochRow r) {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f%n", r.epoch(), r.trainLoss(), r.trainAcc(), r.testLoss(),
                r.testAcc(), r.seconds());
    }
}
