package org.sinter.compiler.memory;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * Best fit: the smallest free block that is big enough, the lowest address among equal sizes.
 * Free blocks are also indexed by size in a sorted tree, so the choice costs a logarithmic
 * search instead of a walk over every hole (which is what makes best fit slow in textbooks).
 */
public final class BestFitAllocator extends FreeListAllocator {
    private final TreeSet<Block> freeBySize =
            new TreeSet<>(Comparator.comparingLong(Block::size).thenComparingLong(Block::offset));

    /** Requests rounded to 256 bytes, the alignment CUDA's allocator gives. */
    public BestFitAllocator() {
        this(256);
    }

    public BestFitAllocator(long alignment) {
        super(alignment);
    }

    @Override
    public String name() {
        return "best-fit";
    }

    @Override
    long chooseFreeBlock(long size) {
        Block fit = freeBySize.ceiling(new Block(-1, size));
        return fit == null ? -1 : fit.offset();
    }

    @Override
    void addedFree(long offset, long size) {
        freeBySize.add(new Block(offset, size));
    }

    @Override
    void removedFree(long offset, long size) {
        freeBySize.remove(new Block(offset, size));
    }
}
