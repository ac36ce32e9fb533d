package org.sinter.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.sinter.cuda.driver.Driver;

/**
 * The arguments of one kernel launch, packed as {@code cuLaunchKernel} wants them: each value in
 * a native scratch area at its C alignment, and an array of pointers to them. One instance per
 * thread is reused (the driver copies the values when the launch is queued).
 * <pre>{@code Launch.of(kernel).ptr(out).ptr(in).i32(n).grid(blocks).block(256).run(device);}</pre>
 */
public final class Launch {
    private static final ThreadLocal<Launch> PER_THREAD = ThreadLocal.withInitial(Launch::new);
    private static final int SLOTS = 64, BYTES = 8192;

    private final MemorySegment values = Arena.global().allocate(BYTES, 16);
    private final MemorySegment pointers = Arena.global().allocate(ADDRESS, SLOTS);
    private KernelCache.Kernel kernel;
    private int cursor, count;
    private int gx, gy, gz, bx, by, bz, shared;

    private Launch() {}

    /** Starts the arguments of a launch of {@code kernel} (on this thread). */
    public static Launch of(KernelCache.Kernel kernel) {
        Launch l = PER_THREAD.get();
        l.kernel = kernel;
        l.cursor = 0;
        l.count = 0;
        l.gx = l.gy = l.gz = l.bx = l.by = l.bz = 1;
        l.shared = 0;
        return l;
    }

    private MemorySegment slot(long size, long align) {
        cursor = (int) ((cursor + align - 1) / align * align);
        if (cursor + size > BYTES || count == SLOTS) throw new IllegalStateException(kernel.name() + ": too many kernel arguments");
        MemorySegment s = values.asSlice(cursor, size);
        pointers.setAtIndex(ADDRESS, count++, s);
        cursor += (int) size;
        return s;
    }

    /** A device pointer (or any 64-bit value). */
    public Launch ptr(long address) {
        slot(8, 8).set(JAVA_LONG, 0, address);
        return this;
    }

    public Launch i64(long v) { return ptr(v); }

    public Launch i32(int v) {
        slot(4, 4).set(JAVA_INT, 0, v);
        return this;
    }

    public Launch f32(float v) {
        slot(4, 4).set(JAVA_FLOAT, 0, v);
        return this;
    }

    public Launch f64(double v) {
        slot(8, 8).set(JAVA_DOUBLE, 0, v);
        return this;
    }

    /** A struct of ints passed by value (e.g. {@code struct { int nd; int size[8]; ... }}). */
    public Launch ints(int[] v) {
        MemorySegment s = slot(4L * v.length, 4);
        for (int i = 0; i < v.length; i++) s.setAtIndex(JAVA_INT, i, v[i]);
        return this;
    }

    public Launch grid(int x, int y, int z) {
        gx = x;
        gy = y;
        gz = z;
        return this;
    }

    public Launch grid(int x) { return grid(x, 1, 1); }

    public Launch block(int x, int y, int z) {
        bx = x;
        by = y;
        bz = z;
        return this;
    }

    public Launch block(int x) { return block(x, 1, 1); }

    public Launch sharedBytes(int bytes) {
        shared = bytes;
        return this;
    }

    /** Queues the launch on {@code device}'s stream. */
    public void run(CudaDevice device) {
        device.makeCurrent();
        if (gx < 0 || gy < 0 || gz < 0) {
            throw new IllegalArgumentException(kernel.name() + ": negative grid " + gx + "x" + gy + "x" + gz + " (a size overflowed)");
        }
        if (gx == 0 || gy == 0 || gz == 0) return; // nothing to do (an empty tensor)
        Driver.launch(kernel.function(), gx, gy, gz, bx, by, bz, shared, device.stream(), pointers, kernel.name());
    }

    /** Blocks of {@code block} threads for a grid-stride loop over {@code n} elements (capped so each thread loops). */
    public static int blocksFor(long n, int block, CudaDevice device) {
        long want = (n + block - 1) / block;
        return (int) Math.max(1, Math.min(want, (long) device.multiprocessors() * 32));
    }
}
