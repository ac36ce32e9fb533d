package org.sinter.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive, advisory lock on a directory that one process writes: {@code <dir>/.lock}, locked
 * with {@link FileChannel#tryLock()} and holding the owner's pid (for the message a second writer
 * gets). The operating system drops the lock when the process dies, even by SIGKILL, so a stale
 * lock file never blocks a later run; only a live writer does.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another writer in this one) holds the lock. */
    public static final class HeldException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String pid;

        HeldException(Path dir, String pid) {
            super("directory " + dir + " is in use by another process" + (pid.isEmpty() ? "" : " (pid " + pid + ")"));
            this.pid = pid;
        }

        /** The holder's pid as its lock file says, or "" when unknown. */
        public String pid() {
            return pid;
        }
    }

    /** Creates {@code dir} if needed and locks it, or throws {@link HeldException} naming the holder's pid. */
    public static DirectoryLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            l = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String pid = holder(ch);
            ch.close();
            throw new HeldException(dir, pid);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new DirectoryLock(dir, ch, l);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    public Path dir() {
        return dir;
    }

    public boolean isValid() {
        return lock.isValid();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
