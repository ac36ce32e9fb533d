package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.memory.Allocator.Block;

/** First fit and best fit on small hand-computed cases (256-byte alignment). */
class FreeListAllocatorTest {
    /** Leaves holes [0, 1024) and [1280, 1792) with 256 bytes in use between them and at the top (2048). */
    private static void makeTwoHoles(Allocator a) {
        long big = a.malloc(1024);
        assertEquals(1024, a.malloc(256));
        long middle = a.malloc(512);
        assertEquals(1792, a.malloc(256));
        a.free(big);
        a.free(middle);
        assertEquals(List.of(new Block(0, 1024), new Block(1280, 512)), a.freeBlocks());
        assertEquals(2048, a.reservedBytes());
    }

    @Test
    void firstFitTakesTheLowestHoleAndThenMustGrow() {
        Allocator a = new FirstFitAllocator();
        makeTwoHoles(a);
        assertEquals(0, a.malloc(512), "the first hole is big enough");
        assertEquals(List.of(new Block(512, 512), new Block(1280, 512)), a.freeBlocks(), "the rest of it stays free");
        assertEquals(2048, a.malloc(1024), "two 512-byte holes cannot hold 1024: the heap grows");
        assertEquals(3072, a.reservedBytes());
    }

    @Test
    void bestFitTakesTheTightestHoleAndKeepsTheBigOne() {
        Allocator a = new BestFitAllocator();
        makeTwoHoles(a);
        assertEquals(1280, a.malloc(512), "the 512-byte hole fits exactly");
        assertEquals(List.of(new Block(0, 1024)), a.freeBlocks());
        assertEquals(0, a.malloc(1024), "the 1024-byte hole is still whole");
        assertEquals(2048, a.reservedBytes());
        assertEquals(List.of(), a.freeBlocks());
    }

    @Test
    void freeCoalescesWithBothNeighbours() {
        for (Allocator a : List.<Allocator>of(new FirstFitAllocator(), new BestFitAllocator())) {
            long x = a.malloc(256);
            long y = a.malloc(256);
            long z = a.malloc(256);
            a.malloc(256); // keeps the three above from merging with the top
            a.free(x);
            a.free(z);
            assertEquals(List.of(new Block(0, 256), new Block(512, 256)), a.freeBlocks(), a.name());
            a.free(y);
            assertEquals(List.of(new Block(0, 768)), a.freeBlocks(), a.name());
            assertEquals(0, a.malloc(768), a.name());
        }
    }

    @Test
    void growingExtendsAFreeBlockAtTheTop() {
        for (Allocator a : List.<Allocator>of(new FirstFitAllocator(), new BestFitAllocator())) {
            a.malloc(512);
            a.free(a.malloc(256));
            assertEquals(List.of(new Block(512, 256)), a.freeBlocks(), a.name());
            assertEquals(512, a.malloc(1024), a.name() + ": the free 256 bytes at the top are reused");
            assertEquals(1536, a.reservedBytes(), a.name());
        }
    }

    @Test
    void requestsRoundUpToTheAlignment() {
        Allocator a = new FirstFitAllocator();
        assertEquals(0, a.malloc(1));
        assertEquals(256, a.malloc(0), "zero bytes still get their own address");
        assertEquals(512, a.malloc(257));
        assertEquals(1024, a.reservedBytes());
        Allocator fine = new BestFitAllocator(8);
        fine.malloc(13);
        assertEquals(16, fine.reservedBytes());
    }

    @Test
    void freeingAnUnknownOffsetFails() {
        Allocator a = new FirstFitAllocator();
        long x = a.malloc(100);
        assertThrows(IllegalArgumentException.class, () -> a.free(x + 256));
        a.free(x);
        assertThrows(IllegalArgumentException.class, () -> a.free(x));
        assertThrows(IllegalArgumentException.class, () -> new FirstFitAllocator(24));
    }
}
