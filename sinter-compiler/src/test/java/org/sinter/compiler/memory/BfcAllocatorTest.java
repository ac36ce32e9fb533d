package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.memory.Allocator.Block;

/** The BFC allocator on hand-computed cases, with 1 KiB as the first region instead of 2 MiB. */
class BfcAllocatorTest {
    @Test
    void roundsTo256AndBinsByPowerOfTwo() {
        assertEquals(256, BfcAllocator.roundedBytes(0));
        assertEquals(256, BfcAllocator.roundedBytes(1));
        assertEquals(256, BfcAllocator.roundedBytes(256));
        assertEquals(512, BfcAllocator.roundedBytes(257));
        assertEquals(0, BfcAllocator.binFor(256));
        assertEquals(0, BfcAllocator.binFor(511));
        assertEquals(1, BfcAllocator.binFor(512));
        assertEquals(2, BfcAllocator.binFor(1024));
        assertEquals(20, BfcAllocator.binFor(256L << 20), "bin 20 starts at 256 MiB");
        assertEquals(20, BfcAllocator.binFor(1L << 40), "and takes everything larger");
    }

    @Test
    void splitsOnlyWhenTheChunkIsTwiceTheRequestAndCoalescesWithinARegion() {
        Allocator a = new BfcAllocator(1024);
        assertEquals(0, a.malloc(100), "a 1024-byte region; 1024 >= 2 x 256, so it splits");
        assertEquals(List.of(new Block(256, 768)), a.freeBlocks());

        assertEquals(256, a.malloc(300), "512 rounded; 768 < 2 x 512, so the whole 768-byte chunk is handed out");
        assertEquals(List.of(), a.freeBlocks());

        assertEquals(1024, a.malloc(3000), "3072 rounded; the next region (2048) doubles to 4096 to hold it");
        assertEquals(List.of(new Block(0, 1024), new Block(1024, 4096)), a.regions());
        assertEquals(5120, a.reservedBytes());

        a.free(256);
        a.free(0);
        assertEquals(List.of(new Block(0, 1024)), a.freeBlocks(), "the two chunks of region 0 coalesce");
        a.free(1024);
        assertEquals(List.of(new Block(0, 1024), new Block(1024, 4096)), a.freeBlocks(),
                "adjacent addresses, but different regions: never merged");
        assertEquals(5120, a.reservedBytes(), "regions are never returned");
    }

    @Test
    void takesTheBestFitAcrossBinsAndRegionsGrowByDoubling() {
        Allocator a = new BfcAllocator(1024);
        a.free(a.malloc(1024)); // region [0, 1024); next region 2048
        a.free(a.malloc(2048)); // region [1024, 3072), next 4096
        assertEquals(List.of(new Block(0, 1024), new Block(1024, 2048)), a.freeBlocks());
        assertEquals(1024, a.malloc(1500), "1536 rounded: only the 2048-byte chunk fits; 2048 < 3072, no split");
        assertEquals(0, a.malloc(512), "the 1024-byte chunk is the best fit, and splits");
        assertEquals(512, a.malloc(256), "the 512-byte remainder fits 256 and splits again");
        assertEquals(List.of(new Block(768, 256)), a.freeBlocks());
        assertEquals(3072, a.malloc(512), "nothing fits: a third region of 4096");
        assertEquals(List.of(new Block(0, 1024), new Block(1024, 2048), new Block(3072, 4096)), a.regions());
    }

    @Test
    void withinABinTheSmallestChunkWinsThenTheLowestAddress() {
        Allocator a = new BfcAllocator(4096);
        long x = a.malloc(768);
        a.malloc(256);
        long y = a.malloc(512);
        a.malloc(256);
        long z = a.malloc(512);
        a.malloc(256);
        a.free(x);
        a.free(y);
        a.free(z);
        // Free chunks 768@0, 512@1024 and 512@1792 share bin 1; the 1536-byte tail is in bin 2.
        assertEquals(List.of(new Block(0, 768), new Block(1024, 512), new Block(1792, 512), new Block(2560, 1536)),
                a.freeBlocks());
        assertEquals(1024, a.malloc(400), "512 rounded: both 512-byte chunks fit exactly; the lower address wins");
        assertEquals(1792, a.malloc(512));
        assertEquals(0, a.malloc(512), "then the 768-byte chunk, not split (768 < 1024)");
        assertThrows(IllegalArgumentException.class, () -> a.free(100));
    }
}
