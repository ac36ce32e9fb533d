package org.sinter.compiler.memory;

import java.util.List;

/**
 * A memory allocator over a simulated device address space: it hands out offsets and keeps its
 * bookkeeping, but no real memory exists. The address space grows as the allocator reserves
 * memory from the "device"; nothing is ever given back, so {@link #reservedBytes} is also the
 * high-water mark.
 *
 * <p>Each allocator rounds requests up to its own granularity; a request for 0 bytes is served
 * like one for 1 byte, so every allocation has a distinct address.
 */
public interface Allocator {
    /** Short name for reports, e.g. {@code first-fit}. */
    String name();

    /** Allocates a block of at least {@code bytes} and returns its offset, the handle to free it with. */
    long malloc(long bytes);

    /** Frees the block that {@link #malloc} returned at {@code offset}. */
    void free(long offset);

    /** Bytes reserved from the device so far (never decreases). */
    long reservedBytes();

    /** The free blocks, in address order: reserved memory not inside an allocated block. */
    List<Block> freeBlocks();

    /**
     * The separately reserved pieces of the address space, in address order; free blocks never
     * span two of them. Most allocators have one, growing at its top.
     */
    default List<Block> regions() {
        return reservedBytes() == 0 ? List.of() : List.of(new Block(0, reservedBytes()));
    }

    /** A range of the simulated address space. */
    record Block(long offset, long size) {
        public long end() {
            return offset + size;
        }
    }

    /** Rounds {@code bytes} (0 counting as 1) up to a multiple of {@code granule}, a power of two. */
    static long roundUp(long bytes, long granule) {
        return (Math.max(bytes, 1) + granule - 1) & -granule;
    }
}
