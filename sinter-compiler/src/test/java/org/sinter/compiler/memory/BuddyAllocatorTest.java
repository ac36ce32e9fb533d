package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.memory.Allocator.Block;

/** The buddy allocator on hand-computed cases (256-byte minimum block). */
class BuddyAllocatorTest {
    @Test
    void splitsOnTheWayDownAndMergesBuddiesOnTheWayUp() {
        Allocator a = new BuddyAllocator();
        assertEquals(0, a.malloc(1000), "1000 bytes take a 1024-byte block; the heap starts that big");
        assertEquals(1024, a.reservedBytes());

        assertEquals(1024, a.malloc(256), "nothing free: the heap doubles, the new upper half is split 1024 -> 512 -> 256");
        assertEquals(2048, a.reservedBytes());
        assertEquals(List.of(new Block(1280, 256), new Block(1536, 512)), a.freeBlocks());

        assertEquals(1536, a.malloc(300), "300 bytes take the free 512-byte block");
        assertEquals(List.of(new Block(1280, 256)), a.freeBlocks());

        a.free(1024);
        assertEquals(List.of(new Block(1024, 512)), a.freeBlocks(), "1024 and its buddy 1280 merge; their buddy 1536 is in use");
        a.free(1536);
        assertEquals(List.of(new Block(1024, 1024)), a.freeBlocks(), "merged up to the buddy of the block at 0, which is in use");
        a.free(0);
        assertEquals(List.of(new Block(0, 2048)), a.freeBlocks(), "everything free is the whole heap again");
    }

    @Test
    void aFreeHeapMergesWithTheNewHalfWhenItDoubles() {
        Allocator a = new BuddyAllocator();
        a.free(a.malloc(2048));
        assertEquals(0, a.malloc(3000), "4096 needed: the free 2048-byte heap and the new half make one block");
        assertEquals(4096, a.reservedBytes());
        assertEquals(List.of(), a.freeBlocks());
    }

    @Test
    void aBigRequestDoublesTheHeapUntilItFits() {
        Allocator a = new BuddyAllocator();
        a.malloc(1024);
        assertEquals(4096, a.malloc(4096), "1024 -> 2048 -> 4096 -> 8192, the upper half holds the request");
        assertEquals(8192, a.reservedBytes());
        assertEquals(List.of(new Block(1024, 1024), new Block(2048, 2048)), a.freeBlocks());
    }

    @Test
    void blocksArePowersOfTwoOfTheMinimumAndAligned() {
        Allocator a = new BuddyAllocator(256);
        assertEquals(0, a.malloc(0));
        assertEquals(256, a.malloc(1));
        assertEquals(512, a.malloc(257), "512-byte blocks start at multiples of 512");
        assertEquals(1024, a.reservedBytes());
        assertThrows(IllegalArgumentException.class, () -> new BuddyAllocator(300));
        assertThrows(IllegalArgumentException.class, () -> a.free(128));
    }
}
