package org.sinter.compiler.memory;

import java.util.Map;

/**
 * First fit: the lowest-addressed free block that is big enough. The classic linear walk of
 * the address-ordered free list, so its cost grows with the number of holes.
 */
public final class FirstFitAllocator extends FreeListAllocator {
    /** Requests rounded to 256 bytes, the alignment CUDA's allocator gives. */
    public FirstFitAllocator() {
        this(256);
    }

    public FirstFitAllocator(long alignment) {
        super(alignment);
    }

    @Override
    public String name() {
        return "first-fit";
    }

    @Override
    long chooseFreeBlock(long size) {
        for (Map.Entry<Long, Long> e : freeByOffset.entrySet()) {
            if (e.getValue() >= size) return e.getKey();
        }
        return -1;
    }
}
