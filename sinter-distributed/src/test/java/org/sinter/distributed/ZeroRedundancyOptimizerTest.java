package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.Tensor;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.distributed.optim.ZeroRedundancyOptimizer;
import org.sinter.distributed.transport.Transport;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;
import org.sinter.optim.SGD;

/** ZeRO-1 (ranks as threads) against one process with the unsharded optimizer. */
class ZeroRedundancyOptimizerTest {
    static final Tensor X = DistributedDataParallelTest.X;
    static final Tensor Y = DistributedDataParallelTest.Y;

    static Optimizer adam(List<ParamGroup> groups) {
        return new Adam(groups, Adam.options().lr(0.01).weightDecay(0.01));
    }

    /** Two groups with different learning rates: the first layer's and the rest. */
    static List<ParamGroup> groups(Module m) {
        List<Tensor> ps = new ArrayList<>();
        m.parameters().forEach(ps::add);
        return List.of(ParamGroup.of(ps.subList(0, 2)).set("lr", 0.03), ParamGroup.of(ps.subList(2, ps.size())));
    }

    /** {@code steps} steps of the global batch 24 split over {@code world} ranks; parameters after each step. */
    static List<Map<String, Tensor>> train(Module model, Module inner, Optimizer opt, int world, int rank, int from, int steps) {
        List<Map<String, Tensor>> after = new ArrayList<>();
        int per = 24 / world;
        for (int s = from; s < from + steps; s++) {
            opt.zeroGrad();
            int start = (s % 4) * 24 + rank * per;
            F.crossEntropy(model.forward(X.narrow(0, start, per)), Y.narrow(0, start, per)).backward();
            opt.step();
            after.add(DistributedDataParallelTest.copy(inner.stateDict()));
        }
        return after;
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 3, 4})
    void givesTheUnshardedOptimizersParameters(int world) {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        List<Map<String, Tensor>> expected = train(ref, ref, adam(groups(ref)), 1, 0, 0, 4);
        List<List<Map<String, Tensor>>> got = Ranks.run(world, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            var ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults());
            var zero = new ZeroRedundancyOptimizer(groups(m), ZeroRedundancyOptimizerTest::adam, pg);
            return train(ddp, m, zero, world, pg.rank(), 0, 4);
        });
        assertSameAsOneProcess(expected, got);
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 3, 4})
    void stageTwoReducesGradientsToTheirOwnersAndKeepsOnlyThose(int world) {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        List<Map<String, Tensor>> expected = train(ref, ref, adam(groups(ref)), 1, 0, 0, 4);
        List<List<Map<String, Tensor>>> got = Ranks.run(world, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            // No DDP: the optimizer reduces the local gradients itself, each only to its owner.
            var zero = new ZeroRedundancyOptimizer(groups(m), ZeroRedundancyOptimizerTest::adam, pg, ZeroRedundancyOptimizer.Stage.GRADIENTS);
            List<Map<String, Tensor>> after = train(m, m, zero, world, pg.rank(), 0, 4);
            for (Tensor p : m.parameters()) {
                boolean mine = zero.ownerOf(p) == pg.rank();
                assertEquals(mine, p.grad() != null, "after a step a rank keeps the gradients of its own shard only");
            }
            return after;
        });
        assertSameAsOneProcess(expected, got);
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 3})
    void stageTwoReducesDuringBackwardAndAccumulatesMicroBatches(int world) {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        List<Map<String, Tensor>> expected = train(ref, ref, adam(groups(ref)), 1, 0, 0, 3);
        List<List<Map<String, Tensor>>> got = Ranks.run(world, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            var zero = new ZeroRedundancyOptimizer(groups(m), ZeroRedundancyOptimizerTest::adam, pg, ZeroRedundancyOptimizer.Stage.GRADIENTS);
            List<Map<String, Tensor>> after = new ArrayList<>();
            int per = 24 / world, half = per / 2;
            for (int s = 0; s < 3; s++) {
                zero.zeroGrad();
                for (int h = 0; h < 2; h++) { // two micro-batches, each half of this rank's rows
                    int start = (s % 4) * 24 + pg.rank() * per + h * half;
                    F.crossEntropy(m.forward(X.narrow(0, start, half)), Y.narrow(0, start, half)).div(2).backward();
                    for (Tensor p : m.parameters()) assertNull(p.grad(), "backward's reductions dropped every full gradient");
                }
                assertTrue(zero.reducedGradientBytes() > 0 == !zero.localParameters().isEmpty(), "owners keep the reduced sums until the step");
                zero.step();
                after.add(DistributedDataParallelTest.copy(m.stateDict()));
            }
            return after;
        });
        assertSameAsOneProcess(expected, got);
    }

    /** Every rank's parameters after every step equal the single process's (1e-5), and the replicas are identical. */
    static void assertSameAsOneProcess(List<Map<String, Tensor>> expected, List<List<Map<String, Tensor>>> got) {
        for (int r = 0; r < got.size(); r++) {
            for (int s = 0; s < expected.size(); s++) {
                for (String k : expected.get(s).keySet()) {
                    Tensor want = expected.get(s).get(k), have = got.get(r).get(s).get(k);
                    assertTrue(want.allclose(have, 1e-5, 1e-6), "rank " + r + " step " + s + " " + k + ": " + want + " vs " + have);
                    assertTrue(have.equal(got.get(0).get(s).get(k)), "replicas differ at rank " + r + " step " + s + " " + k);
                }
            }
        }
    }

    @Test
    void eachRankHoldsAboutItsShareOfTheState() {
        Module ref = DistributedDataParallelTest.mlp();
        Optimizer plain = adam(groups(ref));
        train(ref, ref, plain, 1, 0, 0, 1);
        long total = 0;
        for (Tensor t : plain.stateTensors().values()) total += t.numel();
        long largest = 0;
        for (Tensor p : ref.parameters()) largest = Math.max(largest, 2 * p.numel());
        long bound = largest;
        List<Long> held = Ranks.run(3, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            var ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults());
            var zero = new ZeroRedundancyOptimizer(groups(m), ZeroRedundancyOptimizerTest::adam, pg);
            train(ddp, m, zero, 3, pg.rank(), 0, 1);
            for (Tensor p : m.parameters()) {
                boolean mine = zero.ownerOf(p) == pg.rank();
                assertEquals(mine, !zero.state(p).isEmpty(), "state kept for exactly the owned parameters");
            }
            return zero.localStateNumel();
        });
        assertEquals(total, held.stream().mapToLong(Long::longValue).sum(), "the shards add up to the unsharded state");
        for (long h : held) assertTrue(Math.abs(h - total / 3.0) <= bound, "shard " + h + " of " + total + " is within one parameter of a third");
    }

    @Test
    void consolidatedStateIsThePlainOptimizersAndLoadsBack() {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        Optimizer plain = adam(groups(ref));
        train(ref, ref, plain, 1, 0, 0, 3);
        Map<String, Tensor> plainTensors = DistributedDataParallelTest.copy(plain.stateTensors()); // live tensors: snapshot
        Map<String, Object> plainValues = plain.stateValues();
        // Continue the plain run two more steps: the reference for a resumed sharded run.
        List<Map<String, Tensor>> expected = train(ref, ref, plain, 1, 0, 3, 2);

        List<List<Map<String, Tensor>>> got = Ranks.run(2, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            var ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults());
            var zero = new ZeroRedundancyOptimizer(groups(m), ZeroRedundancyOptimizerTest::adam, pg);
            train(ddp, m, zero, 2, pg.rank(), 0, 3);
            IllegalStateException e = assertThrows(IllegalStateException.class, zero::stateTensors);
            assertTrue(e.getMessage().contains("consolidateStateDict"), e.getMessage());
            zero.consolidateStateDict(0);
            if (pg.rank() == 0) {
                assertEquals(plainTensors.keySet(), zero.stateTensors().keySet());
                for (var en : plainTensors.entrySet()) {
                    assertTrue(en.getValue().allclose(zero.stateTensors().get(en.getKey()), 1e-5, 1e-7), en.getKey());
                }
                assertEquals(plainValues.keySet(), zero.stateValues().keySet());
                assertEquals(((Number) plainValues.get("state.0.step")).longValue(), ((Number) zero.stateValues().get("state.0.step")).longValue());
            } else {
                assertThrows(IllegalStateException.class, zero::stateValues);
            }
            // Restart from the plain optimizer's state on fresh shards; two more steps match the plain run.
            Module m2 = DistributedDataParallelTest.mlp();
            m2.loadStateDict(DistributedDataParallelTest.copy(m.stateDict()), true);
            var ddp2 = new DistributedDataParallel(m2, pg, DistributedDataParallel.Options.defaults());
            var zero2 = new ZeroRedundancyOptimizer(groups(m2), ZeroRedundancyOptimizerTest::adam, pg);
            zero2.loadState(plainTensors, plainValues);
            return train(ddp2, m2, zero2, 2, pg.rank(), 3, 2);
        });
        for (int r = 0; r < 2; r++) {
            for (int s = 0; s < 2; s++) {
                for (String k : expected.get(s).keySet()) {
                    assertTrue(expected.get(s).get(k).allclose(got.get(r).get(s).get(k), 1e-5, 1e-6), "resumed rank " + r + " step " + s + " " + k);
                }
            }
        }
    }

    @Test
    void groupOptionsSetLaterReachTheShards() {
        List<Boolean> unchanged = Ranks.run(2, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            var ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults());
            var zero = new ZeroRedundancyOptimizer(m.parameters(), g -> new SGD(g, SGD.options().lr(0.1)), pg);
            Map<String, Tensor> before = DistributedDataParallelTest.copy(m.stateDict());
            zero.paramGroups().getFirst().setLr(0.0); // what a scheduler does
            train(ddp, m, zero, 2, pg.rank(), 0, 1);
            for (var e : before.entrySet()) if (!e.getValue().equal(m.stateDict().get(e.getKey()))) return false;
            return true;
        });
        assertEquals(List.of(true, true), unchanged);
    }

    @Test
    void foreignParametersAndBadRanksAreNamed() {
        Ranks.run(1, Transport.TCP, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            var zero = new ZeroRedundancyOptimizer(m.parameters(), ZeroRedundancyOptimizerTest::adam, pg);
            var e = assertThrows(IllegalArgumentException.class, () -> zero.ownerOf(Tensor.zeros(3)));
            assertTrue(e.getMessage().contains("not one of its parameters"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> zero.consolidateStateDict(1));
            assertThrows(IllegalArgumentException.class, () -> new ZeroRedundancyOptimizer(List.<Tensor>of(), ZeroRedundancyOptimizerTest::adam, pg));
            return null;
        });
    }
}
