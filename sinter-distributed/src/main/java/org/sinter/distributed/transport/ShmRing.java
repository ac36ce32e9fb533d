package org.sinter.distributed.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.sinter.distributed.store.DistributedTimeoutException;

/**
 * A single-producer single-consumer byte ring in a memory-mapped file shared by two processes
 * (or threads). The header holds two monotonically growing byte counters, each on its own cache
 * line: {@code written} (only the producer stores it) and {@code read} (only the consumer). A
 * release store of a counter publishes the bytes before it; the other side reads it with acquire.
 * Waiting spins briefly, then yields, then parks, checking the deadline and the peer's liveness.
 */
final class ShmRing implements AutoCloseable {
    private static final long WRITTEN = 0, READ = 64, DATA = 128;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena;
    private final MemorySegment header;
    private final MemorySegment data;
    private final long capacity;

    private ShmRing(Path file, long capacity, boolean create) {
        this.capacity = capacity;
        arena = Arena.ofShared();
        try (FileChannel ch = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (create) ch.truncate(0).write(java.nio.ByteBuffer.allocate(1), DATA + capacity - 1);
            else if (ch.size() != DATA + capacity) throw new IOException("size " + ch.size() + ", expected " + (DATA + capacity));
            MemorySegment all = ch.map(FileChannel.MapMode.READ_WRITE, 0, DATA + capacity, arena);
            header = all.asSlice(0, DATA);
            data = all.asSlice(DATA, capacity);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("shared memory: cannot " + (create ? "create " : "open ") + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the file (it must not exist) holding an empty ring of {@code capacity} bytes. */
    static ShmRing create(Path file, long capacity) {
        return new ShmRing(file, capacity, true);
    }

    static ShmRing open(Path file, long capacity) {
        return new ShmRing(file, capacity, false);
    }

    /** Copies all of {@code src} in, waiting for room. {@code peerGone} is polled while waiting. */
    void write(MemorySegment src, long deadlineNanos, BooleanSupplier peerGone, String waitingFor) {
        long n = src.byteSize(), done = 0;
        long written = (long) LONG.getAcquire(header, WRITTEN);
        int idle = 0;
        while (done < n) {
            long free = capacity - (written - (long) LONG.getAcquire(header, READ));
            if (free == 0) {
                idle = pause(idle, deadlineNanos, peerGone, waitingFor);
                continue;
            }
            idle = 0;
            long at = written % capacity;
            long part = Math.min(Math.min(free, n - done), capacity - at);
            MemorySegment.copy(src, done, data, at, part);
            written += part;
            done += part;
            LONG.setRelease(header, WRITTEN, written);
        }
    }

    /** Fills all of {@code dst}, waiting for data. */
    void read(MemorySegment dst, long deadlineNanos, BooleanSupplier peerGone, String waitingFor) {
        long n = dst.byteSize(), done = 0;
        long read = (long) LONG.getAcquire(header, READ);
        int idle = 0;
        while (done < n) {
            long avail = (long) LONG.getAcquire(header, WRITTEN) - read;
            if (avail == 0) {
                idle = pause(idle, deadlineNanos, peerGone, waitingFor);
                continue;
            }
            idle = 0;
            long at = read % capacity;
            long part = Math.min(Math.min(avail, n - done), capacity - at);
            MemorySegment.copy(data, at, dst, done, part);
            read += part;
            done += part;
            LONG.setRelease(header, READ, read);
        }
    }

    private static int pause(int idle, long deadlineNanos, BooleanSupplier peerGone, String waitingFor) {
        idle++;
        if (idle < 200) {
            Thread.onSpinWait();
        } else if (idle < 400) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(idle < 2000 ? 20_000 : 200_000);
            if ((idle & 63) == 0) {
                if (System.nanoTime() - deadlineNanos > 0) throw new DistributedTimeoutException(waitingFor + " (no answer within the timeout)");
                if (peerGone.getAsBoolean()) throw new IllegalStateException(waitingFor + ": the peer is gone");
            }
        }
        return idle;
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }
}
