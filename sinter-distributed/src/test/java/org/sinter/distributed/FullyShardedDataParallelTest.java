package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.Tensor;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.distributed.fsdp.FullyShardedDataParallel;
import org.sinter.distributed.fsdp.GatheredMemory;
import org.sinter.distributed.fsdp.Prefetch;
import org.sinter.distributed.transport.Transport;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;

/** ZeRO-3 (ranks as threads) against plain DDP from the same start on the same batches. */
class FullyShardedDataParallelTest {
    static final Tensor X = DistributedDataParallelTest.X;
    static final Tensor Y = DistributedDataParallelTest.Y;
    static final int STEPS = 5;

    static Optimizer adam(List<Tensor> params) {
        return new Adam(params, Adam.options().lr(0.01).weightDecay(0.01));
    }

    /** The losses of each step on this rank, then the parameters after the last step. */
    record Run(List<Float> losses, Map<String, Tensor> params) {}

    static Run train(Module model, Optimizer opt, int world, int rank, java.util.function.Supplier<Map<String, Tensor>> params, Runnable afterStep) {
        List<Float> losses = new ArrayList<>();
        int per = 24 / world;
        for (int s = 0; s < STEPS; s++) {
            opt.zeroGrad();
            int start = (s % 4) * 24 + rank * per;
            Tensor loss = F.crossEntropy(model.forward(X.narrow(0, start, per)), Y.narrow(0, start, per));
            losses.add((float) loss.item());
            loss.backward();
            opt.step();
            afterStep.run();
        }
        return new Run(losses, params.get());
    }

    /** The full parameters of a model whose children are units, under the unwrapped model's keys. */
    static Map<String, Tensor> fullState(Sequential wrapped) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < wrapped.size(); i++) {
            if (wrapped.get(i) instanceof FullyShardedDataParallel unit) {
                int child = i;
                unit.fullStateDict().forEach((k, v) -> out.put(child + "." + k, v));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 3, 4})
    void givesPlainDataParallelLossesAndParameters(int world) {
        Map<String, Tensor> init = DistributedDataParallelTest.copy(DistributedDataParallelTest.mlp().stateDict());
        List<Run> ddp = Ranks.run(world, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            var wrapped = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults());
            return train(wrapped, adam(m.parameters()), world, pg.rank(), () -> DistributedDataParallelTest.copy(m.stateDict()), () -> { });
        });
        long replica = 0;
        for (Tensor t : init.values()) replica += t.numel();
        long total = replica;
        List<Run> fsdp = Ranks.run(world, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            GatheredMemory meter = new GatheredMemory();
            Sequential sharded = FullyShardedDataParallel.wrapChildren((Sequential) m, pg, meter);
            List<FullyShardedDataParallel> units = new ArrayList<>();
            for (Module c : sharded) if (c instanceof FullyShardedDataParallel u) units.add(u);
            assertEquals(3, units.size(), "the three Linear layers are the units");
            Optimizer opt = adam(sharded.parameters());
            Run run = train(sharded, opt, world, pg.rank(), () -> fullState(sharded), () -> {
                // Between steps a rank holds its shards only: no gathered parameter, no full gradient.
                assertEquals(0, meter.currentBytes(), "gathered parameters left after the step");
                for (Tensor p : m.parameters()) assertNull(p.grad(), "a full gradient survived the reduce-scatter");
                for (Tensor p : m.parameters()) assertEquals(0, p.storage().length(), "a full parameter's storage was not freed");
            });
            long shards = 0, state = 0;
            for (FullyShardedDataParallel u : units) {
                assertEquals((u.unshardedNumel() + world - 1) / world, u.flatParam().numel(), "shard size");
                shards += u.flatParam().numel();
            }
            for (Tensor t : opt.stateTensors().values()) state += t.numel();
            assertTrue(shards * world - total < 3L * world, "the shards cover the model with at most world-1 padding per unit");
            assertEquals(2 * shards, state, "Adam's moments cover the shards only");
            // One unit at a time, never a whole replica (the largest unit is 16 × 16 + 16).
            long peak = meter.peakBytes() / 4;
            assertTrue(peak >= 16 * 16 + 16 && peak < total, "peak gathered " + peak + " of " + total + " parameters");
            return run;
        });
        for (int r = 0; r < world; r++) {
            for (int s = 0; s < STEPS; s++) {
                float want = ddp.get(r).losses().get(s), have = fsdp.get(r).losses().get(s);
                assertEquals(want, have, 1e-5 * Math.abs(want), "rank " + r + " step " + s + " loss");
            }
            for (var e : ddp.get(r).params().entrySet()) {
                Tensor have = fsdp.get(r).params().get(e.getKey());
                assertNotNull(have, e.getKey());
                assertTrue(e.getValue().allclose(have, 1e-5, 1e-6), "rank " + r + " " + e.getKey() + ": " + e.getValue() + " vs " + have);
            }
        }
    }

    /** The losses and parameters of a ZeRO-3 run with {@code prefetch}, and the most parameter elements gathered at once. */
    record PrefetchRun(Run run, long peakGathered) {}

    static List<PrefetchRun> trainSharded(int world, Map<String, Tensor> init, java.util.function.Supplier<Prefetch> prefetch) {
        return Ranks.run(world, Transport.AUTO, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            GatheredMemory meter = new GatheredMemory();
            Sequential sharded = FullyShardedDataParallel.wrapChildren((Sequential) m, pg, meter, prefetch.get());
            Run run = train(sharded, adam(sharded.parameters()), world, pg.rank(), () -> fullState(sharded),
                    () -> assertEquals(0, meter.currentBytes(), "gathered parameters left after the step"));
            return new PrefetchRun(run, meter.peakBytes() / 4);
        });
    }

    @ParameterizedTest(name = "forward {0}, backward {1}, world {2}")
    @org.junit.jupiter.params.provider.CsvSource({"true, true, 2", "true, false, 2", "false, true, 2", "true, true, 3"})
    void prefetchGivesTheSameBitsAndGathersTheNextUnitWhileOneComputes(boolean forward, boolean backward, int world) {
        Map<String, Tensor> init = DistributedDataParallelTest.copy(DistributedDataParallelTest.mlp().stateDict());
        List<PrefetchRun> plain = trainSharded(world, init, Prefetch::none);
        List<PrefetchRun> ahead = trainSharded(world, init, () -> Prefetch.of(forward, backward));
        for (int r = 0; r < world; r++) {
            assertEquals(plain.get(r).run().losses(), ahead.get(r).run().losses(), "rank " + r + " losses");
            for (var e : plain.get(r).run().params().entrySet()) {
                assertTrue(e.getValue().equal(ahead.get(r).run().params().get(e.getKey())), "rank " + r + " " + e.getKey() + " differs");
            }
            // Without prefetch one unit at a time (the largest, 16 × 16 + 16); with it, two at once.
            long largest = (16 * 16 + 16 + world - 1) / world * world;
            assertEquals(largest, plain.get(r).peakGathered(), "rank " + r + ": peak without prefetch");
            assertTrue(ahead.get(r).peakGathered() > largest, "rank " + r + ": the next unit was never gathered during another's use ("
                    + ahead.get(r).peakGathered() + " elements at most)");
        }
    }

    @Test
    void aUnitGatheredAheadWhoseShardChangesBeforeItRunsIsGatheredAgain() {
        Ranks.run(2, Transport.AUTO, pg -> {
            Sequential m = new Sequential(new Linear(6, 4), new Linear(4, 3));
            Sequential sharded = FullyShardedDataParallel.wrapChildren(m, pg, new GatheredMemory(), Prefetch.of(true, false));
            var first = (FullyShardedDataParallel) sharded.get(0);
            var second = (FullyShardedDataParallel) sharded.get(1);
            Tensor x = X.narrow(0, 0, 4);
            try (var _ = org.sinter.GradMode.set(false)) {
                sharded.forward(x); // records the order
                Tensor before = second.fullStateDict().get("weight");
                first.forward(x); // gathers the second unit ahead
                pg.barrier(); // queued behind that gather: it has read the old shard once this returns
                second.flatParam().add_(1.0);
                Tensor after = second.fullStateDict().get("weight");
                assertTrue(after.equal(before.add(1.0)), "the second unit kept the values gathered before its shard changed: " + after + " vs " + before);
            }
            return null;
        });
    }

    @Test
    void eachStageHoldsLessAndTrainsTheSame() {
        List<List<long[]>> perRank = Ranks.run(2, Transport.AUTO, pg -> {
            List<long[]> rows = new ArrayList<>();
            for (int stage = 0; stage <= 3; stage++) rows.add(org.sinter.distributed.examples.ZeroStagesMemory.measure(stage, 32, 2, pg));
            return rows;
        });
        List<long[]> rows = perRank.getFirst();
        long[] total = new long[4];
        for (int s = 0; s <= 3; s++) total[s] = rows.get(s)[0] + rows.get(s)[1] + rows.get(s)[2];
        for (int s = 1; s <= 3; s++) assertTrue(total[s] < total[s - 1], "stage " + s + " holds " + total[s] + " bytes, stage " + (s - 1) + " " + total[s - 1]);
        long params = org.sinter.distributed.examples.ZeroStagesMemory.parameterCount(32) * 4;
        assertEquals(params, rows.get(0)[0], "stage 0 holds a whole replica");
        assertTrue(rows.get(3)[0] < params / 2 + 4 * 4, "stage 3 holds half the parameters on 2 ranks: " + rows.get(3)[0]);
        // One unit gathered at a time: the shards plus the largest layer (784 × 32 + 32, even), not the model.
        assertEquals(rows.get(3)[0] + (784 * 32 + 32) * 4, rows.get(3)[3], "stage 3's peak parameter bytes");
        double loss0 = Double.longBitsToDouble(rows.get(0)[5]);
        for (int s = 1; s <= 3; s++) assertEquals(loss0, Double.longBitsToDouble(rows.get(s)[5]), 1e-5 * loss0, "stage " + s + " loss");
    }

    /** A unit with a layer its forward never uses. */
    static final class HalfUsed extends Module {
        final Linear used = registerModule("used", new Linear(6, 3));
        final Linear idle = registerModule("idle", new Linear(6, 3));

        @Override
        public Tensor forward(Tensor x) { return used.forward(x); }
    }

    @Test
    void aParameterWithoutGradientIsNamedAtTheNextForward() {
        List<String> errors = Ranks.run(2, Transport.AUTO, pg -> {
            var unit = new FullyShardedDataParallel(new HalfUsed(), pg);
            Tensor x = X.narrow(0, pg.rank() * 4, 4);
            F.crossEntropy(unit.forward(x), Y.narrow(0, pg.rank() * 4, 4)).backward();
            var e = assertThrows(IllegalStateException.class, () -> unit.forward(x));
            return e.getMessage();
        });
        for (String msg : errors) assertTrue(msg.contains("only 2 of the 4 parameters") && msg.contains("idle.weight") && msg.contains("idle.bias"), msg);
    }

    @Test
    void badUnitsAreRefusedWithTheirNames() {
        Ranks.run(1, Transport.TCP, pg -> {
            var e = assertThrows(IllegalArgumentException.class, () -> new FullyShardedDataParallel(new org.sinter.nn.ReLU(), pg));
            assertTrue(e.getMessage().contains("has no parameters to shard"), e.getMessage());
            Linear frozen = new Linear(2, 2);
            frozen.weight.requiresGrad(false);
            e = assertThrows(IllegalArgumentException.class, () -> new FullyShardedDataParallel(frozen, pg));
            assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("does not require grad"), e.getMessage());
            return null;
        });
    }
}
