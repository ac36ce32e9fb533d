package org.sinter.nn.io;

import org.sinter.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A directory of rotating checkpoints: {@code last.safetensors} (the newest) and
 * {@code prev.safetensors} (the one before). A save first makes {@code prev} a snapshot of the
 * current {@code last} (hard link renamed into place), then atomically replaces {@code last}.
 * Both renames are atomic, so a process killed at any instant (SIGKILL, power loss after the
 * directory sync) leaves each file present either absent or a complete, verified checkpoint.
 * (Killed between the two steps, {@code prev} and {@code last} hold the same checkpoint.)
 *
 * <p>One writer per directory: temporary files of an interrupted save are deleted by the next.
 * Each save holds the directory's {@link DirectoryLock} while it cleans up and writes, so that
 * cleanup never deletes the temporary file of a save another process has in flight (a second
 * writer gets a clear error instead).
 */
public final class CheckpointDirectory {
    public static final String LAST = "last.safetensors";
    public static final String PREV = "prev.safetensors";

    private final Path dir;

    public CheckpointDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() { return dir; }

    public Path lastFile() { return dir.resolve(LAST); }

    public Path prevFile() { return dir.resolve(PREV); }

    /** Saves {@code c} as the new {@code last}, keeping the old {@code last} as {@code prev}. */
    public void save(Checkpoint c) throws IOException {
        try (DirectoryLock _ = DirectoryLock.acquire(dir)) {
            AtomicFiles.deleteStaleTemps(lastFile());
            AtomicFiles.deleteStaleTemps(prevFile());
            if (Files.exists(lastFile())) AtomicFiles.snapshot(lastFile(), prevFile());
            c.save(lastFile());
        }
    }

    /**
     * The newest checkpoint that loads and verifies: {@code last}, or {@code prev} when
     * {@code last} is missing or damaged. Empty when the directory holds neither; an error when
     * both exist and both fail (the error of {@code last}, with {@code prev}'s suppressed).
     */
    public Optional<Checkpoint> loadLatest() throws IOException {
        return loadLatestFile().map(Loaded::checkpoint);
    }

    /** A checkpoint and the file it came from (for messages about its content). */
    public record Loaded(Path file, Checkpoint checkpoint) {}

    /** {@link #loadLatest()}, also saying which file it loaded. */
    public Optional<Loaded> loadLatestFile() throws IOException {
        IOException lastError = null;
        if (Files.exists(lastFile())) {
            try {
                return Optional.of(new Loaded(lastFile(), Checkpoint.load(lastFile())));
            } catch (IOException e) {
                lastError = e;
            }
        }
        if (Files.exists(prevFile())) {
            try {
                return Optional.of(new Loaded(prevFile(), Checkpoint.load(prevFile())));
            } catch (IOException e) {
                if (lastError != null) {
                    lastError.addSuppressed(e);
                    throw lastError;
                }
                throw e;
            }
        }
        if (lastError != null) throw lastError;
        return Optional.empty();
    }
}
