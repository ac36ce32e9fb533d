package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.distributed.transport.Transport;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/** DDP (ranks as threads) against one process training on the whole batch. */
class DistributedDataParallelTest {
    static final Object INIT = new Object(); // module constructors share the global generator

    static Module mlp() {
        synchronized (INIT) {
            return new Sequential(new Linear(6, 16), new ReLU(), new Linear(16, 16), new ReLU(), new Linear(16, 3));
        }
    }

    static Map<String, Tensor> copy(Map<String, Tensor> sd) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        sd.forEach((k, v) -> out.put(k, v.detach().clone()));
        return out;
    }

    static final Tensor X = new Generator(5).randn(DType.FLOAT32, 96, 6);
    static final Tensor Y = new Generator(6).randint(0, 3, 96);

    /** Trains 4 steps on batches of 24; returns the parameters after each step. */
    static List<Map<String, Tensor>> train(Module model, Module inner, int world, int rank, boolean noSyncHalf) throws Exception {
        SGD opt = new SGD(inner.parameters(), SGD.options().lr(0.1).momentum(0.9));
        List<Map<String, Tensor>> after = new ArrayList<>();
        int per = 24 / world;
        for (int s = 0; s < 4; s++) {
            opt.zeroGrad();
            int start = s * 24 + rank * per;
            if (noSyncHalf && model instanceof DistributedDataParallel ddp) {
                // Gradient accumulation: first half of the slice inside noSync, second half synchronized.
                int half = per / 2;
                try (var _ = ddp.noSync()) {
                    F.crossEntropy(model.forward(X.narrow(0, start, half)), Y.narrow(0, start, half)).mul((double) half / per).backward();
                }
                F.crossEntropy(model.forward(X.narrow(0, start + half, per - half)), Y.narrow(0, start + half, per - half)).mul((double) (per - half) / per).backward();
            } else {
                F.crossEntropy(model.forward(X.narrow(0, start, per)), Y.narrow(0, start, per)).backward();
            }
            opt.step();
            after.add(copy(inner.stateDict()));
        }
        return after;
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 3, 4})
    void givesTheSingleProcessParameters(int world) throws Exception {
        checkAgainstSingleProcess(world, false, 0.0005);
    }

    @Test
    void noSyncAccumulatesLocallyThenReducesTheSum() throws Exception {
        checkAgainstSingleProcess(2, true, 25);
    }

    private void checkAgainstSingleProcess(int world, boolean noSync, double bucketMb) throws Exception {
        Module ref = mlp();
        Map<String, Tensor> init = copy(ref.stateDict());
        List<Map<String, Tensor>> expected = train(ref, ref, 1, 0, false);
        List<List<Map<String, Tensor>>> got = Ranks.run(world, Transport.AUTO, pg -> {
            Module m = mlp(); // a different random init on every rank: DDP broadcasts rank 0's
            if (pg.rank() == 0) m.loadStateDict(init, true);
            DistributedDataParallel ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults().withBucketCapMb(bucketMb));
            if (bucketMb < 1) assertTrue(ddp.bucketParameterNames().size() > 1, "several buckets");
            return train(ddp, m, world, pg.rank(), noSync);
        });
        for (int r = 0; r < world; r++) {
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
    void bucketsRunInReverseRegistrationOrderUpToTheCap() {
        Ranks.run(1, Transport.TCP, pg -> {
            // 6*16+16 = 112 floats = 448 B; 16*16+16 = 272 floats; 16*3+3 = 51 floats.
            DistributedDataParallel ddp = new DistributedDataParallel(mlp(), pg, DistributedDataParallel.Options.defaults().withBucketCapMb(1100 / 1048576.0));
            assertEquals(List.of(List.of("4.bias", "4.weight", "2.bias", "2.weight"), List.of("0.bias", "0.weight")), ddp.bucketParameterNames());
            return null;
        });
    }

    /** fc2 is used on rank 1 only; fc3 never. */
    static final class Branchy extends Module {
        final Linear fc1, fc2, fc3;
        boolean useFc2;

        Branchy() {
            synchronized (INIT) {
                fc1 = registerModule("fc1", new Linear(4, 4));
                fc2 = registerModule("fc2", new Linear(4, 4));
                fc3 = registerModule("fc3", new Linear(4, 4));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = fc1.forward(x);
            return useFc2 ? fc2.forward(h) : h;
        }
    }

    @Test
    void unusedParametersAreFoundOrNamed() {
        List<String> out = Ranks.run(2, Transport.TCP, pg -> {
            Branchy m = new Branchy();
            m.useFc2 = pg.rank() == 1;
            DistributedDataParallel ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults().withFindUnusedParameters(true));
            Tensor x = Tensor.ones(2, 4).mul((double) (pg.rank() + 1));
            ddp.forward(x).sum().backward();
            assertNull(m.fc3.weight.grad(), "unused on every rank: untouched");
            assertNotNull(m.fc2.weight.grad(), "used on rank 1: averaged onto every rank");
            float[] g2 = m.fc2.weight.grad().toFloatArray();

            // Without the search, the unused parameters stall the reduction and the next forward says which.
            Branchy n = new Branchy();
            DistributedDataParallel strict = new DistributedDataParallel(n, pg);
            strict.forward(x).sum().backward();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> strict.forward(x));
            assertTrue(e.getMessage().contains("fc2.weight") && e.getMessage().contains("fc3.bias"), e.getMessage());
            return java.util.Arrays.toString(g2);
        });
        assertEquals(out.get(0), out.get(1));
    }

    @Test
    void forwardWithoutGradientStartsNoReduction() {
        Ranks.run(2, Transport.TCP, pg -> {
            Module m = mlp();
            DistributedDataParallel ddp = new DistributedDataParallel(m, pg);
            try (var _ = org.sinter.Sinter.noGrad()) {
                ddp.forward(X.narrow(0, 0, 4));
            }
            ddp.forward(X.narrow(0, 0, 4)).sum().backward();
            assertNotNull(m.parameters().get(0).grad());
            return null;
        });
    }

    @Test
    void fp16CompressionHookAveragesInHalfPrecision() {
        Module ref = mlp();
        Map<String, Tensor> init = copy(ref.stateDict());
        F.crossEntropy(ref.forward(X.narrow(0, 0, 24)), Y.narrow(0, 0, 24)).backward();
        Map<String, Tensor> want = new LinkedHashMap<>();
        ref.namedParameters().forEach((k, v) -> want.put(k, v.grad()));
        List<Map<String, float[]>> got = Ranks.run(2, Transport.TCP, pg -> {
            Module m = mlp();
            m.loadStateDict(init, true);
            DistributedDataParallel ddp = new DistributedDataParallel(m, pg, DistributedDataParallel.Options.defaults().withBucketCapMb(0.0005));
            ddp.registerCommHook(org.sinter.distributed.ddp.CommHook.fp16Compress());
            F.crossEntropy(ddp.forward(X.narrow(0, pg.rank() * 12, 12)), Y.narrow(0, pg.rank() * 12, 12)).backward();
            Map<String, float[]> g = new LinkedHashMap<>();
            m.namedParameters().forEach((k, v) -> g.put(k, v.grad().toFloatArray()));
            return g;
        });
        for (String k : want.keySet()) {
            float[] w = want.get(k).toFloatArray(), h = got.get(0).get(k);
            assertArrayEquals(h, got.get(1).get(k), k + ": replicas differ");
            for (int i = 0; i < w.length; i++) {
                // The average went over the wire in float16: every value is a float16 number...
                assertEquals(h[i], Float.float16ToFloat(Float.floatToFloat16(h[i])), k + "[" + i + "] is not a float16 value");
                // ...within float16's rounding of the float32 average.
                assertEquals(w[i], h[i], 2e-3 * Math.abs(w[i]) + 1e-4, k + "[" + i + "]");
            }
        }
    }

    @Test
    void timelineRecordsEveryBucketsPhases(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        List<String> traces = Ranks.run(2, Transport.TCP, pg -> {
            DistributedDataParallel ddp = new DistributedDataParallel(mlp(), pg, DistributedDataParallel.Options.defaults().withBucketCapMb(0.0005));
            org.sinter.distributed.ddp.Timeline t = ddp.enableTimeline();
            for (int step = 0; step < 3; step++) F.crossEntropy(ddp.forward(X.narrow(0, 12 * pg.rank(), 12)), Y.narrow(0, 12 * pg.rank(), 12)).backward();
            int buckets = ddp.bucketParameterNames().size();
            assertEquals(3L * buckets, t.count("WAIT_FOR_DATA"));
            assertEquals(3L * buckets, t.count("WAIT"));
            // ALLREDUCE ends on the group's thread, before backward returns.
            assertEquals(3L * buckets, t.count("ALLREDUCE"));
            java.nio.file.Path f = dir.resolve("timeline-" + pg.rank() + ".json");
            t.writeChromeTrace(f);
            return java.nio.file.Files.readString(f);
        });
        for (String json : traces) {
            assertTrue(json.startsWith("{\"traceEvents\": ["), json);
            assertTrue(json.contains("\"name\": \"ALLREDUCE\", \"ph\": \"X\""), json);
            assertFalse(json.contains("\"dur\": -"), json);
        }
    }

    @Test
    void float8HookAveragesWithinItsPrecision() {
        Module ref = mlp();
        Map<String, Tensor> init = copy(ref.stateDict());
        F.crossEntropy(ref.forward(X.narrow(0, 0, 24)), Y.narrow(0, 0, 24)).backward();
        List<Map<String, float[]>> got = Ranks.run(3, Transport.SHM, pg -> {
            Module m = mlp();
            m.loadStateDict(init, true);
            DistributedDataParallel ddp = new DistributedDataParallel(m, pg);
            ddp.registerCommHook(org.sinter.distributed.ddp.CommHook.float8AllGather());
            F.crossEntropy(ddp.forward(X.narrow(0, pg.rank() * 8, 8)), Y.narrow(0, pg.rank() * 8, 8)).backward();
            Map<String, float[]> g = new LinkedHashMap<>();
            m.namedParameters().forEach((k, v) -> g.put(k, v.grad().toFloatArray()));
            return g;
        });
        // One bucket: every value is scaled by the bucket's max |g| on its rank; 3 mantissa bits
        // give a relative error of at most 2^-4 of that scale per rank (absolute: subnormals).
        double maxAbs = 0;
        for (Tensor p : ref.parameters()) for (float v : p.grad().toFloatArray()) maxAbs = Math.max(maxAbs, Math.abs(v));
        double err = 0, sumSq = 0;
        for (Map.Entry<String, Tensor> e : ref.namedParameters().entrySet()) {
            float[] w = e.getValue().grad().toFloatArray(), h = got.get(0).get(e.getKey());
            assertArrayEquals(h, got.get(2).get(e.getKey()), e.getKey() + ": replicas differ");
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], h[i], 3 * 0.0625 * maxAbs, e.getKey() + "[" + i + "]");
                err += (w[i] - h[i]) * (w[i] - h[i]);
                sumSq += w[i] * (double) w[i];
            }
        }
        assertTrue(Math.sqrt(err / sumSq) < 0.2, "relative error of the averaged gradient " + Math.sqrt(err / sumSq));
        assertTrue(err > 0, "the gradients went through 8 bits, so they cannot be exact");
    }

    @Test
    void topKWithErrorFeedbackDelaysButDropsNothing() {
        Module ref = mlp();
        Map<String, Tensor> init = copy(ref.stateDict());
        F.crossEntropy(ref.forward(X.narrow(0, 0, 24)), Y.narrow(0, 0, 24)).backward();
        int world = 2, steps = 3;
        // Per rank: the flat sum of its DDP gradients over the steps, and its residual at the end.
        List<float[][]> got = Ranks.run(world, Transport.TCP, pg -> {
            Module m = mlp();
            m.loadStateDict(init, true);
            DistributedDataParallel ddp = new DistributedDataParallel(m, pg);
            org.sinter.distributed.ddp.TopKHook hook = new org.sinter.distributed.ddp.TopKHook(0.1);
            ddp.registerCommHook(hook);
            List<String> order = ddp.bucketParameterNames().get(0);
            Map<String, Tensor> params = m.namedParameters();
            float[] total = null;
            for (int s = 0; s < steps; s++) { // same batch, same parameters: the same gradient each step
                m.zeroGrad();
                F.crossEntropy(ddp.forward(X.narrow(0, pg.rank() * 12, 12)), Y.narrow(0, pg.rank() * 12, 12)).backward();
                List<Tensor> flats = new ArrayList<>();
                for (String k : order) flats.add(params.get(k).grad().reshape(-1));
                float[] flat = Tensor.cat(flats, 0).toFloatArray();
                int nonzero = 0;
                for (float v : flat) if (v != 0) nonzero++;
                assertTrue(nonzero <= world * (int) Math.ceil(0.1 * flat.length), "too many entries sent: " + nonzero);
                if (total == null) total = new float[flat.length];
                for (int i = 0; i < flat.length; i++) total[i] += flat[i];
            }
            return new float[][] {total, hook.residual(0)};
        });
        List<String> order;
        {
            List<String> names = new ArrayList<>(ref.namedParameters().keySet());
            java.util.Collections.reverse(names);
            order = names;
        }
        List<Tensor> flats = new ArrayList<>();
        for (String k : order) flats.add(ref.namedParameters().get(k).grad().reshape(-1));
        float[] want = Tensor.cat(flats, 0).toFloatArray();
        for (int i = 0; i < want.length; i++) {
            // sum of averages sent + average of what is still held back = steps x the true average
            double sentPlusHeld = got.get(0)[0][i] + (got.get(0)[1][i] + got.get(1)[1][i]) / world;
            assertEquals(steps * want[i], sentPlusHeld, 1e-5 + 1e-4 * Math.abs(steps * want[i]), "entry " + i);
            assertEquals(got.get(0)[0][i], got.get(1)[0][i], "replicas differ at " + i);
        }
    }
}
