package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The placement step of a greedy-by-size planner: a block live over {@code [from, to]} goes at the
 * lowest offset where it fits beside every block already placed whose lifetime overlaps its own.
 * The compiler's memory plan ({@link MemoryPlanner}) and the executor's arena share it.
 */
public final class LowestFit {
    /** A placed block: live over steps {@code [from, to]} (inclusive), at {@code offset}, {@code length} units long. */
    public record Block(int from, int to, long offset, long length) {}

    private LowestFit() {}

    /** The lowest offset (a multiple of {@code align} after each neighbour) for a new block. */
    public static long offset(long length, int from, int to, List<Block> placed, long align) {
        List<Block> overlapping = new ArrayList<>();
        for (Block p : placed) if (p.from <= to && from <= p.to) overlapping.add(p);
        overlapping.sort(Comparator.comparingLong(Block::offset));
        long offset = 0;
        for (Block p : overlapping) {
            if (offset + length <= p.offset) break;
            offset = Math.max(offset, (p.offset + p.length + align - 1) / align * align);
        }
        return offset;
    }
}
