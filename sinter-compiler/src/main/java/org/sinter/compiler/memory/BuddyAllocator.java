package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Binary buddy allocation: every block is a power of two in size (at least {@code minBlock})
 * and aligned to its size, so the buddy of the block at {@code offset} of size {@code s} is at
 * {@code offset ^ s}. A request takes the smallest free block that fits, halving it until it is
 * the request rounded up to a power of two; a freed block merges with its buddy while the buddy
 * is free too. Cheap and fragmentation-proof in structure, at the price of internal waste of up
 * to half of each block.
 *
 * <p>The heap is one buddy tree that grows by doubling: the old heap becomes the lower half of
 * a new one whose upper half starts free. So the reserved size is always a power of two.
 */
public final class BuddyAllocator implements Allocator {
    private final long minBlock;
    /** Free blocks by order (block size = minBlock << order), each set in address order. */
    private final List<TreeSet<Long>> freeByOrder = new ArrayList<>();
    private final Map<Long, Integer> allocatedOrders = new HashMap<>();
    private long heapSize;

    /** Blocks of at least 256 bytes, CUDA's allocation alignment. */
    public BuddyAllocator() {
        this(256);
    }

    public BuddyAllocator(long minBlock) {
        if (Long.bitCount(minBlock) != 1) throw new IllegalArgumentException("minimum block must be a power of two: " + minBlock);
        this.minBlock = minBlock;
    }

    @Override
    public String name() {
        return "buddy";
    }

    @Override
    public long malloc(long bytes) {
        int order = orderFor(bytes);
        int found = smallestFreeOrderAtLeast(order);
        while (found < 0) {
            growHeap(order);
            found = smallestFreeOrderAtLeast(order);
        }
        long offset = freeList(found).pollFirst();
        // Halve the block, keeping the lower half and freeing the upper one, down to the order wanted.
        for (int k = found; k > order; k--) freeList(k - 1).add(offset + blockSize(k - 1));
        allocatedOrders.put(offset, order);
        return offset;
    }

    @Override
    public void free(long offset) {
        Integer order = allocatedOrders.remove(offset);
        if (order == null) throw new IllegalArgumentException(name() + ": no allocated block at offset " + offset);
        int k = order;
        while (blockSize(k) < heapSize && freeList(k).remove(offset ^ blockSize(k))) {
            offset = Math.min(offset, offset ^ blockSize(k));
            k++;
        }
        freeList(k).add(offset);
    }

    /** Doubles the heap (or creates it big enough for a block of {@code order}); the new upper half is free. */
    private void growHeap(int order) {
        if (heapSize == 0) {
            heapSize = blockSize(order);
            freeList(order).add(0L);
            return;
        }
        int heapOrder = Long.numberOfTrailingZeros(heapSize / minBlock);
        long upperHalf = heapSize;
        heapSize *= 2;
        // The whole old heap may be free: then it merges with the new half into one top block.
        if (freeList(heapOrder).remove(0L)) {
            freeList(heapOrder + 1).add(0L);
        } else {
            freeList(heapOrder).add(upperHalf);
        }
    }

    private int orderFor(long bytes) {
        long units = (Math.max(bytes, 1) + minBlock - 1) / minBlock;
        return 64 - Long.numberOfLeadingZeros(units - 1);
    }

    private int smallestFreeOrderAtLeast(int order) {
        for (int k = order; k < freeByOrder.size(); k++) {
            if (!freeByOrder.get(k).isEmpty()) return k;
        }
        return -1;
    }

    private TreeSet<Long> freeList(int order) {
        while (freeByOrder.size() <= order) freeByOrder.add(new TreeSet<>());
        return freeByOrder.get(order);
    }

    private long blockSize(int order) {
        return minBlock << order;
    }

    @Override
    public long reservedBytes() {
        return heapSize;
    }

    @Override
    public List<Block> freeBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (int k = 0; k < freeByOrder.size(); k++) {
            for (long offset : freeByOrder.get(k)) blocks.add(new Block(offset, blockSize(k)));
        }
        blocks.sort(Comparator.comparingLong(Block::offset));
        return blocks;
    }
}
