package org.sinter.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sinter.cli.UsageException;
import org.sinter.nn.io.CheckpointDirectory;
import org.sinter.nn.io.DirectoryLock;

/**
 * A run's output directory, held exclusively for the run's lifetime ({@link DirectoryLock} on
 * {@code <out>/.lock}): two runs into one directory would interleave its CSV files and delete
 * each other's temporary files. It also knows what a run leaves there, so that a fresh run never
 * silently replaces an earlier one.
 */
final class RunDirectory implements AutoCloseable {
    /** The files a run writes at the top of its directory (checkpoints live in {@code checkpoint/}). */
    static final List<String> FILES = List.of("model.safetensors", "steps.csv", "epochs.csv", "loss.png", "accuracy.png",
            "profile.txt", "trace.json", "model.dot");

    private final Path dir;
    private final DirectoryLock lock;

    private RunDirectory(Path dir, DirectoryLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** Creates (if needed) and locks {@code dir}, or fails naming the process that holds it. */
    static RunDirectory lock(Path dir) throws IOException {
        try {
            return new RunDirectory(dir, DirectoryLock.acquire(dir));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // createDirectories met a file where a directory of the path should be.
            throw new IOException("--out " + dir + ": cannot create the run directory: " + e.getFile() + " is a file", e);
        } catch (DirectoryLock.HeldException e) {
            throw new IOException("run directory " + dir + " is in use by another sinter process"
                    + (e.pid().isEmpty() ? "" : " (pid " + e.pid() + ")") + "; wait for it to finish or choose another --out", e);
        }
    }

    CheckpointDirectory checkpoints() {
        return new CheckpointDirectory(dir.resolve("checkpoint"));
    }

    /** What an earlier run left here (empty when nothing). */
    List<String> existingRunFiles() {
        List<String> found = new ArrayList<>();
        for (String f : FILES) if (Files.exists(dir.resolve(f))) found.add(f);
        CheckpointDirectory cd = checkpoints();
        if (Files.exists(cd.lastFile()) || Files.exists(cd.prevFile())) found.add("checkpoint/");
        return found;
    }

    /**
     * Refuses to start a fresh run over an earlier one unless {@code overwrite}. With --resume and
     * no checkpoint, only a trained model counts: logs alone are what a run killed before its first
     * checkpoint leaves, and starting it again is what resuming it means.
     */
    void requireFreshStartAllowed(boolean overwrite, boolean resumeAsked) {
        List<String> found = existingRunFiles();
        if (resumeAsked) found = found.contains("model.safetensors") ? List.of("model.safetensors") : List.of();
        if (found.isEmpty() || overwrite) return;
        throw new UsageException("--out " + dir + " already holds a run (" + String.join(", ", found) + ")"
                + (resumeAsked ? " but no checkpoint to resume from" : "")
                + "; " + (resumeAsked ? "" : "continue it with --resume, ") + "replace it with --overwrite, or choose another --out");
    }

    /** Deletes an earlier run's files (for --overwrite), so nothing of it can be mistaken for the new run's. */
    void clear() throws IOException {
        for (String f : FILES) Files.deleteIfExists(dir.resolve(f));
        CheckpointDirectory cd = checkpoints();
        Files.deleteIfExists(cd.lastFile());
        Files.deleteIfExists(cd.prevFile());
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
