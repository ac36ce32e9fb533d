package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.sinter.distributed.ddp.DistributedSampler;

/** PyTorch's DistributedSampler rule: pad or drop to a multiple, then every replicas-th index. */
class DistributedSamplerTest {
    @Test
    void unshuffledMatchesPytorchsPartition() {
        // Each expectation is what PyTorch 1.13 prints for list(DistributedSampler(range(n), num_replicas=w, rank=r, shuffle=False, drop_last=d)).
        assertArrayEquals(new int[] {0, 4, 8}, new DistributedSampler(10, 4, 0, false, 0, false).indices());
        assertArrayEquals(new int[] {1, 5, 9}, new DistributedSampler(10, 4, 1, false, 0, false).indices());
        assertArrayEquals(new int[] {2, 6, 0}, new DistributedSampler(10, 4, 2, false, 0, false).indices());
        assertArrayEquals(new int[] {3, 7, 1}, new DistributedSampler(10, 4, 3, false, 0, false).indices());
        assertArrayEquals(new int[] {3, 7}, new DistributedSampler(10, 4, 3, false, 0, true).indices());
        assertArrayEquals(new int[] {0}, new DistributedSampler(1, 3, 2, false, 0, false).indices());
        assertArrayEquals(new int[0], new DistributedSampler(0, 3, 2, false, 0, false).indices());
    }

    @Test
    void shuffledRanksCoverTheDataOnceAndChangeWithTheEpoch() {
        int n = 103, w = 4;
        int[] all = new int[0];
        for (int r = 0; r < w; r++) {
            DistributedSampler s = new DistributedSampler(n, w, r, true, 42, true);
            all = IntStream.concat(Arrays.stream(all), Arrays.stream(s.indices())).toArray();
        }
        assertEquals(100, all.length);
        assertEquals(100, Arrays.stream(all).distinct().count());
        DistributedSampler s = new DistributedSampler(n, w, 1, true, 42, false);
        int[] e0 = s.indices();
        assertArrayEquals(e0, s.indices(), "same epoch, same order");
        s.setEpoch(1);
        assertFalse(Arrays.equals(e0, s.indices()));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(10, 2, 2));
        assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
    }
}
