package org.sinter.cuda;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sinter.Tensor;

/**
 * The buffer behind a CUDA tensor's storage: a block of device memory. When the storage becomes
 * unreachable its block returns to the device's {@link CachingAllocator} pool. The backend's own
 * temporaries (unfolded patches, split-K workspaces) are returned at once with {@link #release},
 * without waiting for the garbage collector: work on the stream runs in order, so the next user of
 * the block queues behind the kernels that still read it.
 */
public final class CudaBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final long ptr;
    private final long bytes;
    private final Return giveBack;

    /** Returns the block once, whether released explicitly or by the cleaner. */
    private record Return(CachingAllocator allocator, CachingAllocator.Block block, AtomicBoolean done) implements Runnable {
        @Override
        public void run() {
            if (done.compareAndSet(false, true)) allocator.release(block);
        }
    }

    CudaBuffer(CudaDevice device, long bytes) {
        this.device = device;
        this.bytes = bytes;
        CachingAllocator.Block block = device.allocator().allocate(bytes, device.stream());
        this.ptr = block.ptr();
        this.giveBack = new Return(device.allocator(), block, new AtomicBoolean());
        CLEANER.register(this, giveBack);
    }

    public CudaDevice device() { return device; }

    /** The device address of element 0. */
    public long ptr() { return ptr; }

    public long bytes() { return bytes; }

    /**
     * Returns a temporary's memory to the pool now. Only for tensors nothing else can reach (the
     * backend's scratch buffers): a later use of {@code t} would read memory given to another tensor.
     */
    static void release(Tensor t) {
        ((CudaBuffer) t.storage().array()).giveBack.run();
    }
}
