package org.sinter.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers, and a crash at any instant, see either the old complete file or
 * the new complete one: the bytes go to a temporary file in the same directory, are forced to
 * disk, and the temporary file is renamed over the target in one atomic step; then the
 * directory itself is forced so the rename survives a power loss.
 *
 * <p>A process killed mid-write leaves only its temporary file ({@code .<name>.<random>.tmp}),
 * which never shadows the target; {@link #deleteStaleTemps} removes such leftovers. Checkpoints,
 * safetensors files, downloads and run logs are all written through this class.
 *
 * <p>The new file gets the permissions any other program's new file would get (the process's
 * umask applies), not {@link Files#createTempFile}'s owner-only 0600, so models and logs stay
 * readable by whoever could read a plainly written file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new temporary file, open for writing. */
    private record Temp(Path path, FileChannel channel) {}

    /** Writes the whole content of the new file into the given channel. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Checks a finished temporary file before it is renamed into place; throws to reject it. */
    @FunctionalInterface
    public interface Verifier {
        void verify(Path written) throws IOException;
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        }, p -> {});
    }

    /**
     * Copies {@code in} to {@code target} atomically. {@code verifier} sees the complete temporary
     * file first; when it (or the copy) throws, the temporary file is deleted and the target is untouched.
     */
    public static void write(Path target, InputStream in, Verifier verifier) throws IOException {
        write(target, ch -> {
            var src = Channels.newChannel(in);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (src.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) ch.write(buf);
                buf.clear();
            }
        }, verifier);
    }

    /** Atomically replaces (or creates) {@code target} with what {@code body} writes. */
    public static void write(Path target, Body body) throws IOException {
        write(target, body, p -> {});
    }

    /** Atomically replaces {@code target} with what {@code body} writes, once {@code verifier} accepts it. */
    public static void write(Path target, Body body, Verifier verifier) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        checkNotDirectory(abs);
        Temp temp = createTemp(abs);
        Path tmp = temp.path();
        boolean done = false;
        try {
            try (FileChannel ch = temp.channel()) {
                body.writeTo(ch);
                ch.force(true);
            }
            verifier.verify(tmp);
            moveAtomically(tmp, abs);
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Atomically renames {@code from} over {@code to} (same directory), then syncs the directory. */
    public static void rename(Path from, Path to) throws IOException {
        moveAtomically(from, to);
        syncDirectory(to.toAbsolutePath().getParent());
    }

    /**
     * Atomically replaces {@code target} with the current content of {@code source} (same
     * directory), which stays in place: a hard link renamed over the target, or, where the file
     * system has no hard links, a synced copy renamed over it.
     */
    public static void snapshot(Path source, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        checkNotDirectory(abs);
        Temp temp = createTemp(abs);
        temp.channel().close();
        Path tmp = temp.path();
        boolean done = false;
        try {
            Files.delete(tmp);
            try {
                Files.createLink(tmp, source);
            } catch (UnsupportedOperationException | IOException noLinks) {
                Files.copy(source, tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            moveAtomically(tmp, abs);
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Deletes temporary files an interrupted {@link #write} or {@link #snapshot} of {@code target} left behind. */
    public static int deleteStaleTemps(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(abs.getParent(), tempPrefix(abs) + "*.tmp")) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) n++;
            }
        }
        return n;
    }

    private static String tempPrefix(Path abs) {
        return "." + abs.getFileName() + ".";
    }

    /** Fails with a message naming the target (not the temporary file the rename would fail on). */
    private static void checkNotDirectory(Path abs) throws IOException {
        if (Files.isDirectory(abs)) throw new FileSystemException(abs.toString(), null, "is a directory, cannot write a file there");
    }

    /**
     * Creates and opens {@code .<name>.<random>.tmp} beside the target. {@code CREATE_NEW} (O_EXCL)
     * with no explicit permissions gives the platform's default, the umask applied, and refuses
     * to follow a planted file or link; a random name taken already is just drawn again.
     */
    private static Temp createTemp(Path abs) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = abs.resolveSibling(tempPrefix(abs) + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return new Temp(tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 100) throw taken;
            }
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + to + " atomically on this file system", e);
        }
    }

    /** Forces a directory's entries to disk; a no-op where directories cannot be opened (Windows). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // The platform does not let a directory be opened or synced; the rename is still atomic.
        }
    }
}
