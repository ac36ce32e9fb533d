package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The common part of first-fit and best-fit: one heap that grows at its top, a free list of
 * address-ordered blocks, allocation from the front of the chosen hole (the rest stays free),
 * and coalescing of a freed block with free neighbours on both sides. Subclasses only choose
 * the hole.
 */
abstract class FreeListAllocator implements Allocator {
    private final long alignment;
    /** Free blocks: offset to size, in address order. */
    final TreeMap<Long, Long> freeByOffset = new TreeMap<>();
    private final Map<Long, Long> allocatedSizes = new HashMap<>();
    private long heapTop;

    FreeListAllocator(long alignment) {
        if (Long.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        this.alignment = alignment;
    }

    /** The offset of the free block to allocate {@code size} bytes from, or -1 when none is big enough. */
    abstract long chooseFreeBlock(long size);

    /** Called whenever a block enters the free list, so subclasses can index it. */
    void addedFree(long offset, long size) {}

    /** Called whenever a block leaves the free list. */
    void removedFree(long offset, long size) {}

    @Override
    public long malloc(long bytes) {
        long size = Allocator.roundUp(bytes, alignment);
        long offset = chooseFreeBlock(size);
        if (offset < 0) offset = growHeap(size);
        long blockSize = removeFree(offset);
        if (blockSize > size) addFree(offset + size, blockSize - size);
        allocatedSizes.put(offset, size);
        return offset;
    }

    /**
     * Makes a free block of at least {@code size} at the top of the heap and returns its offset:
     * a free block already ending at the top only needs the difference (like {@code sbrk}).
     */
    private long growHeap(long size) {
        Map.Entry<Long, Long> last = freeByOffset.lastEntry();
        long start = last != null && last.getKey() + last.getValue() == heapTop ? last.getKey() : heapTop;
        if (start < heapTop) removeFree(start);
        heapTop = start + size;
        addFree(start, size);
        return start;
    }

    @Override
    public void free(long offset) {
        Long size = allocatedSizes.remove(offset);
        if (size == null) throw new IllegalArgumentException(name() + ": no allocated block at offset " + offset);
        long start = offset;
        long end = offset + size;
        Map.Entry<Long, Long> below = freeByOffset.floorEntry(offset);
        if (below != null && below.getKey() + below.getValue() == offset) {
            start = below.getKey();
            removeFree(start);
        }
        Long above = freeByOffset.get(end);
        if (above != null) {
            removeFree(end);
            end += above;
        }
        addFree(start, end - start);
    }

    private void addFree(long offset, long size) {
        freeByOffset.put(offset, size);
        addedFree(offset, size);
    }

    private long removeFree(long offset) {
        long size = freeByOffset.remove(offset);
        removedFree(offset, size);
        return size;
    }

    @Override
    public long reservedBytes() {
        return heapTop;
    }

    @Override
    public List<Block> freeBlocks() {
        List<Block> blocks = new ArrayList<>(freeByOffset.size());
        freeByOffset.forEach((offset, size) -> blocks.add(new Block(offset, size)));
        return blocks;
    }
}
