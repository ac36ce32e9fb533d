package org.sinter.cuda;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import org.sinter.cuda.driver.CudaException;
import org.sinter.cuda.driver.Driver;

/**
 * One GPU as Sinter uses it: its primary context, the stream all of its tensor work is queued
 * on, its caching allocator, its compiled kernels and a pinned staging buffer for host copies.
 * Created on first use of {@code cuda:i}.
 */
public final class CudaDevice {
    private static final ConcurrentHashMap<Integer, CudaDevice> DEVICES = new ConcurrentHashMap<>();
    private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] {0});

    private final int index;
    private final long context;
    private final long stream;
    private final String name;
    private final int major, minor, multiprocessors;
    private final long totalMemory;
    private final CachingAllocator allocator;
    private final KernelCache kernels;
    private long cublas;
    private long staging;
    private long stagingBytes;

    private CudaDevice(int index) {
        int count = Driver.deviceCount();
        if (index >= count) {
            throw new CudaException("cuda:" + index + " does not exist: the driver reports " + count + " GPU" + (count == 1 ? "" : "s"));
        }
        this.index = index;
        int dev = Driver.device(index);
        this.context = Driver.primaryContext(dev);
        Driver.setCurrentContext(context);
        CURRENT.get()[0] = context;
        this.name = Driver.deviceName(dev);
        this.major = Driver.attribute(dev, 75);
        this.minor = Driver.attribute(dev, 76);
        this.multiprocessors = Driver.attribute(dev, 16);
        this.totalMemory = Driver.totalMemory(dev);
        this.stream = Driver.streamCreate();
        this.allocator = new CachingAllocator(this);
        this.kernels = new KernelCache(this);
        if (Boolean.getBoolean("sinter.cuda.stats")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("[cuda] " + this + ": " + stats())));
        }
    }

    /** The device {@code cuda:index}, initialised on first use. */
    public static CudaDevice get(int index) {
        CudaDevice d = DEVICES.get(index);
        if (d == null) {
            synchronized (DEVICES) {
                d = DEVICES.computeIfAbsent(index, CudaDevice::new);
            }
        }
        d.makeCurrent();
        return d;
    }

    /** Runs {@code action} on every device initialised so far. */
    static void forEachStarted(java.util.function.Consumer<CudaDevice> action) {
        DEVICES.values().forEach(action);
    }

    /** Makes this device's context current on the calling thread (each thread has its own current context). */
    public void makeCurrent() {
        long[] cur = CURRENT.get();
        if (cur[0] != context) {
            Driver.setCurrentContext(context);
            cur[0] = context;
        }
    }

    public int index() { return index; }

    public String name() { return name; }

    /** Compute capability {major, minor}. */
    public int[] computeCapability() { return new int[] {major, minor}; }

    public int multiprocessors() { return multiprocessors; }

    public long totalMemory() { return totalMemory; }

    /** The stream Sinter queues this device's work on. */
    public long stream() { return stream; }

    public CachingAllocator allocator() { return allocator; }

    public KernelCache kernels() { return kernels; }

    /** Waits until all queued work on this device's stream has finished. */
    public void synchronize() {
        makeCurrent();
        Driver.streamSynchronize(stream);
    }

    /** The cuBLAS handle on this device's stream (created on first use). */
    public synchronized long cublas() {
        if (cublas == 0) {
            makeCurrent();
            cublas = org.sinter.cuda.driver.Cublas.createHandle(stream);
        }
        return cublas;
    }

    // Pinned memory is a raw address from the driver: sizing it as a segment is a restricted FFM operation.
    @SuppressWarnings("restricted")
    private MemorySegment pinned(long bytes) {
        return MemorySegment.ofAddress(staging).reinterpret(bytes);
    }

    /** Copies {@code bytes} host bytes (from {@code src}'s position) to device address {@code dst}, through pinned memory. */
    public synchronized void upload(ByteBuffer src, long dst, long bytes) {
        makeCurrent();
        long done = 0;
        while (done < bytes) {
            long chunk = Math.min(bytes - done, stagingCapacity(bytes - done));
            MemorySegment pinned = pinned(chunk);
            MemorySegment.copy(MemorySegment.ofBuffer(src), done, pinned, 0, chunk);
            Driver.copyHostToDevice(dst + done, staging, chunk, stream);
            Driver.streamSynchronize(stream); // the staging buffer is reused by the next chunk
            done += chunk;
        }
    }

    /** Copies {@code bytes} from device address {@code src} into {@code dst} (from its position), through pinned memory. */
    public synchronized void download(long src, ByteBuffer dst, long bytes) {
        makeCurrent();
        long done = 0;
        while (done < bytes) {
            long chunk = Math.min(bytes - done, stagingCapacity(bytes - done));
            Driver.copyDeviceToHost(staging, src + done, chunk, stream);
            Driver.streamSynchronize(stream);
            MemorySegment pinned = pinned(chunk);
            MemorySegment.copy(pinned, 0, MemorySegment.ofBuffer(dst), done, chunk);
            done += chunk;
        }
    }

    /** Grows the pinned staging buffer up to 64 MiB; larger copies go in chunks. */
    private long stagingCapacity(long wanted) {
        long want = Math.min(Math.max(wanted, 1 << 20), 64L << 20);
        if (stagingBytes < want) {
            if (staging != 0) Driver.memFreeHost(staging);
            staging = Driver.memAllocHost(want);
            stagingBytes = want;
        }
        return stagingBytes;
    }

    /** The allocator's and the kernel cache's counters, for diagnostics ({@code -Dsinter.cuda.stats=true} prints them at exit). */
    public String stats() {
        long[] c = allocator.allocationCounts();
        return String.format(java.util.Locale.ROOT, "%d allocations, %d from the cache, %d collections asked for; %.1f MiB reserved, "
                + "peak %.1f MiB allocated; %s", c[0], c[1], c[2], allocator.memoryReserved() / 1048576.0,
                allocator.maxMemoryAllocated() / 1048576.0, kernels.compileStats());
    }

    @Override
    public String toString() {
        return "cuda:" + index + " (" + name + ", sm_" + major + minor + ", " + multiprocessors + " SMs, "
                + (totalMemory >> 20) + " MiB)";
    }
}
