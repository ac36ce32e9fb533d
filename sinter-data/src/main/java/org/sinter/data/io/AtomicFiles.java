package org.sinter.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader sees either the old file or the complete new one: the bytes go to
 * a temporary file in the same directory, are forced to disk, and the file is renamed into place.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Checks a finished temporary file before it is renamed into place; throws to reject it. */
    @FunctionalInterface
    public interface Verifier {
        void verify(Path written) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, new java.io.ByteArrayInputStream(bytes), p -> {});
    }

    /**
     * Copies {@code in} to {@code target} atomically. {@code verifier} sees the complete temporary
     * file first; when it (or the copy) throws, the temporary file is deleted and the target is untouched.
     */
    public static void write(Path target, InputStream in, Verifier verifier) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var src = Channels.newChannel(in);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                while (src.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) ch.write(buf);
                    buf.clear();
                }
                ch.force(true);
            }
            verifier.verify(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux does). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported here (e.g. Windows); the rename itself is still atomic.
        }
    }
}
