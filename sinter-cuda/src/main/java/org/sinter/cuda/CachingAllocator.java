package org.sinter.cuda;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.cuda.driver.CudaException;
import org.sinter.cuda.driver.Driver;

/**
 * Device memory for tensors, cached as PyTorch's CUDA allocator does: a freed block goes back to a
 * pool instead of to the driver ({@code cuMemFree} synchronizes the device), and a later request
 * of a similar size on the same stream reuses it. Work on one stream runs in order, so a block
 * freed while kernels that use it are still queued can be handed out to the next allocation on
 * that stream without waiting.
 *
 * <p>Sizes are rounded to size classes (512 B below 1 MiB, 128 KiB above) so blocks fit again;
 * a cached block up to a quarter larger than asked for is reused. Java frees a tensor's block only
 * when the garbage collector finds the tensor unreachable, and the Java heap does not feel device
 * memory: so once fresh driver allocations since the last collection pass a threshold
 * ({@code -Dsinter.cuda.gcThresholdMiB}, default the larger of 2 GiB and a quarter of the device),
 * the allocator asks for a (full) collection and takes the returned blocks instead. That is the
 * safety net: a small young generation ({@code ./sinter} uses 64 MiB with {@code --device cuda})
 * lets the cheap young collections return blocks every few steps (measured: docs/cuda.md). When the driver runs out
 * of memory, it collects, frees its cache and tries again before failing with the statistics. Statistics follow PyTorch's names:
 * {@link #memoryAllocated()}, {@link #memoryReserved()}, {@link #maxMemoryAllocated()}.
 */
public final class CachingAllocator {
    /** One piece of device memory. */
    record Block(long ptr, long size, long stream) {}

    private final CudaDevice device;
    /** Free blocks per stream, by size. */
    private final Map<Long, TreeMap<Long, ArrayDeque<Block>>> free = new java.util.HashMap<>();
    private long allocated, reserved, peakAllocated, allocations, cacheHits, freshSinceGc, collections;
    private final long gcThreshold;

    CachingAllocator(CudaDevice device) {
        this.device = device;
        long mib = Long.getLong("sinter.cuda.gcThresholdMiB", Math.max(2048, device.totalMemory() / 4 >> 20));
        this.gcThreshold = mib << 20;
    }

    /** A cached block of the size class, taken out of its stream's pool, or null. */
    private Block fromPool(long size, long stream) {
        TreeMap<Long, ArrayDeque<Block>> pool = free.get(stream);
        if (pool == null) return null;
        Map.Entry<Long, ArrayDeque<Block>> e = pool.ceilingEntry(size);
        if (e == null || e.getKey() > size + size / 4) return null;
        Block b = e.getValue().pop();
        if (e.getValue().isEmpty()) pool.remove(e.getKey());
        return b;
    }

    static long roundSize(long bytes) {
        long b = Math.max(bytes, 1);
        long unit = b < (1 << 20) ? 512 : 128 << 10;
        return (b + unit - 1) / unit * unit;
    }

    /** A block of at least {@code bytes} for work on {@code stream}. */
    synchronized Block allocate(long bytes, long stream) {
        long size = roundSize(bytes);
        allocations++;
        Block cached = fromPool(size, stream);
        if (cached == null && freshSinceGc + size > gcThreshold) {
            collectGarbage(); // unreachable tensors' blocks come back to the pool
            freshSinceGc = 0;
            cached = fromPool(size, stream);
        }
        if (cached != null) {
            cacheHits++;
            return inUse(cached);
        }
        device.makeCurrent();
        long ptr = Driver.memAllocOrError(size);
        if (ptr == -2) { // CUDA_ERROR_OUT_OF_MEMORY: give back what the cache and the garbage hold
            collectGarbage();
            emptyCacheLocked();
            ptr = Driver.memAllocOrError(size);
        }
        if (ptr < 0) {
            if (ptr == -2) {
                long[] info = Driver.memoryInfo();
                throw new CudaException("CUDA out of memory on " + device.name() + ": tried to allocate " + mib(size) + "; "
                        + mib(allocated) + " allocated by tensors, " + mib(reserved) + " reserved by Sinter, " + mib(info[0])
                        + " free of " + mib(info[1]));
            }
            Driver.check((int) -ptr, "cuMemAlloc(" + size + " bytes)");
        }
        reserved += size;
        freshSinceGc += size;
        return inUse(new Block(ptr, size, stream));
    }

    private Block inUse(Block b) {
        allocated += b.size();
        peakAllocated = Math.max(peakAllocated, allocated);
        return b;
    }

    /** Returns a block to its stream's pool (called when its tensor storage becomes unreachable). */
    synchronized void release(Block b) {
        allocated -= b.size();
        free.computeIfAbsent(b.stream(), s -> new TreeMap<>()).computeIfAbsent(b.size(), s -> new ArrayDeque<>()).push(b);
    }

    /** Frees every cached block (PyTorch's {@code torch.cuda.empty_cache()}); blocks in use stay. */
    public synchronized void emptyCache() {
        emptyCacheLocked();
    }

    private void emptyCacheLocked() {
        device.makeCurrent();
        Driver.contextSynchronize();
        for (TreeMap<Long, ArrayDeque<Block>> pool : free.values()) {
            for (ArrayDeque<Block> q : pool.values()) {
                for (Block b : q) {
                    Driver.memFree(b.ptr());
                    reserved -= b.size();
                }
            }
        }
        free.clear();
    }

    /** Unreachable tensors hold device memory the Java heap cannot see: collect them and let their cleaners run. */
    private void collectGarbage() {
        collections++;
        System.gc();
        // The cleaner thread calls release(), which needs this monitor: wait, letting it in, until it is done.
        long start = System.nanoTime(), settle = start + 5_000_000L, deadline = start + 50_000_000L;
        try {
            long last = -1;
            for (long now = start; now < deadline && (now < settle || allocated != last); now = System.nanoTime()) {
                last = allocated;
                wait(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes held by live tensors. */
    public synchronized long memoryAllocated() { return allocated; }

    /** Bytes obtained from the driver: in use plus cached. */
    public synchronized long memoryReserved() { return reserved; }

    /** The largest {@link #memoryAllocated()} seen since the start or the last reset. */
    public synchronized long maxMemoryAllocated() { return peakAllocated; }

    public synchronized void resetPeakMemoryStats() { peakAllocated = allocated; }

    /** Requests served, how many of them came from the cache, and the collections the allocator asked for. */
    public synchronized long[] allocationCounts() { return new long[] {allocations, cacheHits, collections}; }

    private static String mib(long bytes) {
        return String.format("%.2f MiB", bytes / 1048576.0);
    }
}
