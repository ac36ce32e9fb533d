package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.memory.Allocator.Block;

/** Replaying logs: the measured peaks and fragmentation on a hand-computed log, and the table. */
class AllocatorSimulatorTest {
    /** Two 1 KiB blocks around a small one; both freed, then 2 KiB wanted. */
    private static final AllocationLog TWO_HOLES = AllocationLog.parse("""
            # sinter-alloc-log v1
            alloc 0 1024 a
            alloc 1 200 b
            alloc 2 1024 c
            free 0
            free 2
            alloc 3 2048 d
            """, "two-holes");

    @Test
    void firstFitOnTwoHoles() {
        var r = AllocatorSimulator.simulate("two-holes", TWO_HOLES, FirstFitAllocator::new, AllocatorSimulator.Timing.QUICK);
        assertEquals("first-fit", r.allocator());
        assertEquals(4, r.allocations());
        assertEquals(2248, r.peakLiveBytes(), "requested bytes: 200 + 2048 after the holes, more than 1024 + 200 + 1024");
        // Holes [0, 1024) and [1280, 2304); the second is at the top, so d extends it: 1280 + 2048.
        assertEquals(3328, r.peakReservedBytes());
        assertEquals(1 - 2248.0 / 3328, r.fragmentation(), 1e-12);
        assertEquals(0.5, r.worstExternalFragmentation(), 1e-12, "two equal holes: the largest is half the free memory");
        assertTrue(r.nanosPerOperation() > 0);
    }

    @Test
    void buddyOnTwoHoles() {
        var r = AllocatorSimulator.simulate("two-holes", TWO_HOLES, BuddyAllocator::new, AllocatorSimulator.Timing.QUICK);
        // a = 1024@0 (heap 1024); b = 256@1024 (heap 2048); c = 1024@2048 (heap 4096); d takes the merged [2048, 4096).
        assertEquals(4096, r.peakReservedBytes());
        // Worst right after freeing a: free 1024@0, 256@1280, 512@1536, 1024@3072, the largest 1024 of 2816.
        // (Freeing c then merges 2048@2048: 2048 of 3840 is better.)
        assertEquals(1 - 1024.0 / 2816, r.worstExternalFragmentation(), 1e-12);
    }

    @Test
    void externalFragmentationIsOneMinusLargestOverTotal() {
        assertEquals(0, AllocatorSimulator.externalFragmentation(List.of()));
        assertEquals(0, AllocatorSimulator.externalFragmentation(List.of(new Block(0, 4096))));
        assertEquals(0.75, AllocatorSimulator.externalFragmentation(
                List.of(new Block(0, 256), new Block(512, 256), new Block(1024, 256), new Block(2048, 256))), 1e-12);
    }

    @Test
    void simulateAllRunsTheFourAllocatorsInOrderAndTheReportHasARowEach() {
        AllocationLog log = AllocatorPropertiesTest.randomLog(7, 400);
        var results = AllocatorSimulator.simulateAll("random", log, AllocatorSimulator.Timing.QUICK);
        assertEquals(List.of("first-fit", "best-fit", "buddy", "bfc"), results.stream().map(AllocatorSimulator.Result::allocator).toList());
        for (var r : results) {
            assertEquals(results.get(0).peakLiveBytes(), r.peakLiveBytes(), "peak live is the program's, not the allocator's");
            assertTrue(r.peakReservedBytes() >= r.peakLiveBytes(), r.allocator());
            assertTrue(r.fragmentation() >= 0 && r.fragmentation() < 1, r.allocator());
        }
        String table = AllocatorReport.markdown(results);
        String[] lines = table.split("\n");
        assertEquals(2 + 4, lines.length);
        assertEquals("| log | allocator | allocations | peak live | peak reserved | fragmentation | worst external frag. | ns/op |", lines[0]);
        assertTrue(lines[2].startsWith("| random | first-fit | " + log.allocationCount() + " | "), lines[2]);
    }

    @Test
    void reportRowsUseBinaryUnitsAndPercentages() {
        var r = new AllocatorSimulator.Result("cnn", "bfc", 12, 3L << 20, 4L << 20, 0.125, 87.4);
        assertEquals("| cnn | bfc | 12 | 3.00 MiB | 4.00 MiB | 25.0% | 12.5% | 87 |",
                AllocatorReport.markdown(List.of(r)).split("\n")[2]);
        assertEquals("a\\|b.log", AllocatorReport.cell("a|b.log"));
        assertEquals("1023 B", AllocatorReport.bytes(1023));
        assertEquals("1.50 KiB", AllocatorReport.bytes(1536));
        assertEquals("2.00 GiB", AllocatorReport.bytes(2L << 30));
    }
}
