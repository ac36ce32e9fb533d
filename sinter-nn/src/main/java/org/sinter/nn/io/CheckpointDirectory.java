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
        Files.createDirectories(dir);
        AtomicFiles.deleteStaleTemps(lastFile());
        AtomicFiles.deleteStaleTemps(prevFile());
        if (Files.exists(lastFile())) AtomicFiles.snapshot(lastFile(), prevFile());
        c.save(lastFile());
    }

    /**
     * The newest checkpoint that loads and verifies: {@code last}, or {@code prev} when
     * {@code last} is missing or damaged. Empty when the directory holds neither; an error when
     * both exist and both fail (the error of {@code last}, with {@code prev}'s suppressed).
     */
    public Optional<Checkpoint> loadLatest() throws IOException {
        IOException lastError = null;
        if (Files.exists(lastFile())) {
            try {
                return Optional.of(Checkpoint.load(lastFile()));
            } catch (IOException e) {
                lastError = e;
            }
        }
        if (Files.exists(prevFile())) {
            try {
                return Optional.of(Checkpoint.load(prevFile()));
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
