package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Best-fit with coalescing, the design of TensorFlow's GPU allocator (BFC):
 *
 * <ul>
 *   <li>requests are rounded up to 256 bytes;
 *   <li>free chunks sit in 21 bins by power-of-two size class (bin {@code i} holds sizes in
 *       {@code [256 << i, 256 << (i + 1))}, the last bin everything larger), each bin ordered by
 *       size then address; a request searches from its own bin upwards and takes the first chunk
 *       big enough, which is the best fit;
 *   <li>the chunk is split only when it is at least twice the request, or the remainder is at least
 *       128 MiB, so small leftovers stay inside the allocation (internal fragmentation);
 *   <li>a freed chunk coalesces with its free neighbours in the same region;
 *   <li>when no chunk fits, a new region is taken from the device: the current region size
 *       (2 MiB at first), doubled until the request fits, and doubled again after each region that
 *       did not need it. Regions are never returned and chunks never span two of them.
 * </ul>
 *
 * The growth is TensorFlow's {@code allow_growth} mode; without it TensorFlow reserves nearly all
 * device memory as one region up front, which would make "peak reserved" meaningless here.
 */
public final class BfcAllocator implements Allocator {
    static final long MIN_ALLOCATION = 256;
    static final int BIN_COUNT = 21;
    static final long MAX_INTERNAL_FRAGMENTATION = 128L << 20;

    /** A piece of a region, free or allocated, linked to its neighbours in that region. */
    private static final class Chunk {
        final long offset;
        long size;
        boolean inUse;
        Chunk prev;
        Chunk next;

        Chunk(long offset, long size) {
            this.offset = offset;
            this.size = size;
        }
    }

    private static final Comparator<Chunk> BY_SIZE_THEN_ADDRESS =
            Comparator.<Chunk>comparingLong(c -> c.size).thenComparingLong(c -> c.offset);

    private final List<TreeSet<Chunk>> bins = new ArrayList<>();
    private final Map<Long, Chunk> allocated = new HashMap<>();
    private final List<Block> regions = new ArrayList<>();
    private long nextRegionBytes;
    private long reserved;

    /** TensorFlow's growth start: a first region of 2 MiB. */
    public BfcAllocator() {
        this(2L << 20);
    }

    public BfcAllocator(long initialRegionBytes) {
        if (initialRegionBytes <= 0) throw new IllegalArgumentException("initial region size must be positive: " + initialRegionBytes);
        this.nextRegionBytes = Allocator.roundUp(initialRegionBytes, MIN_ALLOCATION);
        for (int i = 0; i < BIN_COUNT; i++) bins.add(new TreeSet<>(BY_SIZE_THEN_ADDRESS));
    }

    @Override
    public String name() {
        return "bfc";
    }

    static long roundedBytes(long bytes) {
        return Allocator.roundUp(bytes, MIN_ALLOCATION);
    }

    static int binFor(long size) {
        long units = Math.max(size, MIN_ALLOCATION) / MIN_ALLOCATION;
        return Math.min(63 - Long.numberOfLeadingZeros(units), BIN_COUNT - 1);
    }

    @Override
    public long malloc(long bytes) {
        long rounded = roundedBytes(bytes);
        Chunk chunk = findFreeChunk(rounded);
        if (chunk == null) {
            addRegion(rounded);
            chunk = findFreeChunk(rounded);
        }
        removeFromBin(chunk);
        if (chunk.size >= 2 * rounded || chunk.size - rounded >= MAX_INTERNAL_FRAGMENTATION) split(chunk, rounded);
        chunk.inUse = true;
        allocated.put(chunk.offset, chunk);
        return chunk.offset;
    }

    private Chunk findFreeChunk(long rounded) {
        for (int bin = binFor(rounded); bin < BIN_COUNT; bin++) {
            // Sizes ascend within a bin, so the first chunk at least this big is the best fit.
            Chunk fit = bins.get(bin).ceiling(probe(rounded));
            if (fit != null) return fit;
        }
        return null;
    }

    private static Chunk probe(long size) {
        return new Chunk(-1, size);
    }

    /** Cuts {@code chunk} to {@code size}; the rest becomes a free chunk right after it. */
    private void split(Chunk chunk, long size) {
        Chunk rest = new Chunk(chunk.offset + size, chunk.size - size);
        chunk.size = size;
        rest.prev = chunk;
        rest.next = chunk.next;
        if (chunk.next != null) chunk.next.prev = rest;
        chunk.next = rest;
        addToBin(rest);
    }

    private void addRegion(long rounded) {
        boolean grewForThisRequest = false;
        while (rounded > nextRegionBytes) {
            nextRegionBytes *= 2;
            grewForThisRequest = true;
        }
        Block region = new Block(reserved, nextRegionBytes);
        regions.add(region);
        reserved += region.size();
        if (!grewForThisRequest) nextRegionBytes *= 2;
        addToBin(new Chunk(region.offset(), region.size()));
    }

    @Override
    public void free(long offset) {
        Chunk chunk = allocated.remove(offset);
        if (chunk == null) throw new IllegalArgumentException(name() + ": no allocated chunk at offset " + offset);
        chunk.inUse = false;
        if (chunk.next != null && !chunk.next.inUse) {
            removeFromBin(chunk.next);
            absorbNext(chunk);
        }
        if (chunk.prev != null && !chunk.prev.inUse) {
            chunk = chunk.prev;
            removeFromBin(chunk);
            absorbNext(chunk);
        }
        addToBin(chunk);
    }

    private static void absorbNext(Chunk chunk) {
        Chunk next = chunk.next;
        chunk.size += next.size;
        chunk.next = next.next;
        if (next.next != null) next.next.prev = chunk;
    }

    private void addToBin(Chunk chunk) {
        bins.get(binFor(chunk.size)).add(chunk);
    }

    private void removeFromBin(Chunk chunk) {
        if (!bins.get(binFor(chunk.size)).remove(chunk)) throw new IllegalStateException("free chunk missing from its bin");
    }

    @Override
    public long reservedBytes() {
        return reserved;
    }

    @Override
    public List<Block> regions() {
        return List.copyOf(regions);
    }

    @Override
    public List<Block> freeBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (TreeSet<Chunk> bin : bins) {
            for (Chunk c : bin) blocks.add(new Block(c.offset, c.size));
        }
        blocks.sort(Comparator.comparingLong(Block::offset));
        return blocks;
    }
}
