package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.cluster.placement.RandomPlacement;
import org.sinter.cluster.policy.Policies;
import org.sinter.cluster.trace.SyntheticTrace;

/** Same jobs, policy and seed: the same replay, to the last bit; another seed: another replay. */
class DeterminismTest {
    @ParameterizedTest
    @ValueSource(strings = {"fifo", "sjf", "srtf", "tiresias", "easy", "drf"})
    void aSeedFixesTheReplay(String policy) {
        List<Job> jobs = SyntheticTrace.generate(1500, 64, 64, 1.5, 7);
        assertArrayEquals(replay(jobs, policy, 7), replay(jobs, policy, 7));
        assertArrayEquals(replay(jobs, policy, 7), replay(SyntheticTrace.generate(1500, 64, 64, 1.5, 7), policy, 7));
        assertFalse(Arrays.equals(replay(jobs, policy, 7), replay(SyntheticTrace.generate(1500, 64, 64, 1.5, 8), policy, 7)));
    }

    private static double[] replay(List<Job> jobs, String policy, long placementSeed) {
        return Scenarios.jcts(Scenarios.run(jobs, "8x8", Policies.of(policy), new RandomPlacement(placementSeed)));
    }
}
