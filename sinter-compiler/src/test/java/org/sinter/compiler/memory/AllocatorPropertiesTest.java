package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.memory.Allocator.Block;

/**
 * Invariants every allocator keeps on random logs: live blocks never overlap each other or a
 * free block, everything lies inside the reserved regions, reserved covers live at every step,
 * and once everything is freed the free space is exactly one block per region.
 */
class AllocatorPropertiesTest {
    private static final List<Supplier<Allocator>> ALLOCATORS = List.of(FirstFitAllocator::new, BestFitAllocator::new,
            BuddyAllocator::new, () -> new BfcAllocator(64 << 10), BfcAllocator::new, () -> new FirstFitAllocator(8));

    /** A log mixing many small and a few large requests, freed in random order, some sizes zero. */
    static AllocationLog randomLog(long seed, int events) {
        SplittableRandom rnd = new SplittableRandom(seed);
        var rec = new AllocationLog.Recorder();
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            if (!live.isEmpty() && rnd.nextInt(100) < 45) {
                rec.free(live.remove(rnd.nextInt(live.size())));
            } else {
                long bytes = rnd.nextInt(50) == 0 ? 0 : 1L << rnd.nextInt(4, rnd.nextInt(10) == 0 ? 22 : 14);
                live.add(rec.alloc(bytes + rnd.nextLong(bytes + 1), "random"));
            }
        }
        return rec.toLog();
    }

    @Test
    void invariantsHoldOnRandomLogs() {
        for (long seed = 1; seed <= 8; seed++) {
            AllocationLog log = randomLog(seed, 1200);
            for (Supplier<Allocator> make : ALLOCATORS) checkInvariants(make.get(), log, seed);
        }
    }

    private static void checkInvariants(Allocator a, AllocationLog log, long seed) {
        String who = a.name() + " on seed " + seed;
        TreeMap<Long, Long> liveEnds = new TreeMap<>(); // offset -> end of the requested bytes
        Map<Long, Long> offsetById = new HashMap<>();
        long liveBytes = 0;
        for (AllocationLog.Event e : log.events()) {
            switch (e) {
                case AllocationLog.Alloc al -> {
                    long offset = a.malloc(al.bytes());
                    long end = offset + Math.max(al.bytes(), 1);
                    var below = liveEnds.floorEntry(offset);
                    var above = liveEnds.ceilingEntry(offset);
                    if (below != null && below.getValue() > offset) fail(who + ": block at " + offset + " overlaps one at " + below.getKey());
                    if (above != null && above.getKey() < end) fail(who + ": block at " + offset + " overlaps one at " + above.getKey());
                    liveEnds.put(offset, end);
                    offsetById.put(al.id(), offset);
                    liveBytes += al.bytes();
                    assertTrue(insideARegion(a.regions(), offset, end), who + ": block outside the reserved regions");
                }
                case AllocationLog.Free f -> {
                    long offset = offsetById.remove(f.id());
                    liveBytes -= liveEnds.get(offset) - offset;
                    liveEnds.remove(offset);
                    a.free(offset);
                }
            }
            assertTrue(a.reservedBytes() >= liveBytes, who + ": reserved below live");
            for (Block free : a.freeBlocks()) {
                var below = liveEnds.lowerEntry(free.end());
                if (below != null && below.getValue() > free.offset()) fail(who + ": free block " + free + " overlaps a live one");
                assertTrue(insideARegion(a.regions(), free.offset(), free.end()), who + ": free block " + free + " outside the regions");
            }
        }
        for (long offset : offsetById.values()) a.free(offset);
        assertEquals(a.regions(), a.freeBlocks(), who + ": everything freed is one block per region");
        long regionTotal = a.regions().stream().mapToLong(Block::size).sum();
        assertEquals(a.reservedBytes(), regionTotal, who);
    }

    private static boolean insideARegion(List<Block> regions, long start, long end) {
        for (Block r : regions) {
            if (r.offset() <= start && end <= r.end()) return true;
        }
        return false;
    }
}
