package org.sinter.rl.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** For the vector env tests: two vector envs stepped alike must agree bit for bit. */
final class VectorChecks {
    private VectorChecks() {}

    /** Resets both with {@code seed}, steps them with the same actions and asserts every output is the same, bit for bit; returns the episodes that ended. */
    static <A> int assertSameTrajectories(VectorEnv<double[], A> want, VectorEnv<double[], A> got, long seed, int steps, Supplier<A> action) {
        List<double[]> a = want.reset(seed), b = got.reset(seed);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0.0);
        int ended = 0;
        for (int t = 0; t < steps; t++) {
            List<A> act = new ArrayList<>();
            for (int i = 0; i < want.numEnvs(); i++) act.add(action.get());
            VectorStep<double[]> s = want.step(act), r = got.step(act);
            for (int i = 0; i < want.numEnvs(); i++) {
                String at = "step " + t + " copy " + i;
                assertArrayEquals(s.observations().get(i), r.observations().get(i), 0.0, at);
                assertEquals(s.rewards()[i], r.rewards()[i], at);
                assertEquals(s.terminated()[i], r.terminated()[i], at);
                assertEquals(s.truncated()[i], r.truncated()[i], at);
                if (s.done(i)) {
                    ended++;
                    assertArrayEquals(s.finalObservations().get(i), r.finalObservations().get(i), 0.0, at);
                } else {
                    assertEquals(null, r.finalObservations().get(i), at);
                }
            }
        }
        return ended;
    }

}
