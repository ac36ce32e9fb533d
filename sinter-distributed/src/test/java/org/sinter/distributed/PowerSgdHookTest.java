package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.distributed.ddp.PowerSgdHook;
import org.sinter.distributed.transport.Transport;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/** PowerSGD as a DDP communication hook, ranks as threads. */
class PowerSgdHookTest {
    static final Tensor X = DistributedDataParallelTest.X;
    static final Tensor Y = DistributedDataParallelTest.Y;

    /** The flat DDP gradient in bucket order (one bucket: reverse registration order). */
    static float[] flatGrad(Module m) {
        List<String> names = new ArrayList<>(m.namedParameters().keySet());
        Collections.reverse(names);
        List<Tensor> flats = new ArrayList<>();
        for (String k : names) flats.add(m.namedParameters().get(k).grad().reshape(-1));
        return Tensor.cat(flats, 0).toFloatArray();
    }

    @Test
    void fullRankFactorsGiveTheExactAverage() {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        F.crossEntropy(ref.forward(X.narrow(0, 0, 24)), Y.narrow(0, 0, 24)).backward();
        float[] want = flatGrad(ref);
        List<float[]> got = Ranks.run(3, Transport.TCP, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            var ddp = new DistributedDataParallel(m, pg);
            // Rank 16 covers every matrix of the MLP (at most 16 columns), and compressing is forced.
            PowerSgdHook hook = new PowerSgdHook(16, 0, 0.0, true, true, 1);
            ddp.registerCommHook(hook);
            F.crossEntropy(ddp.forward(X.narrow(0, pg.rank() * 8, 8)), Y.narrow(0, pg.rank() * 8, 8)).backward();
            return flatGrad(m);
        });
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got.get(0)[i], 1e-5 + 1e-3 * Math.abs(want[i]), "entry " + i);
            assertEquals(got.get(0)[i], got.get(2)[i], "replicas differ at " + i);
        }
    }

    @Test
    void lowRankWithErrorFeedbackDelaysButDropsNothingAndSendsLess() {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        F.crossEntropy(ref.forward(X.narrow(0, 0, 24)), Y.narrow(0, 0, 24)).backward();
        float[] want = flatGrad(ref);
        int world = 2, steps = 3;
        List<float[][]> got = Ranks.run(world, Transport.TCP, pg -> {
            Module m = DistributedDataParallelTest.mlp();
            m.loadStateDict(init, true);
            var ddp = new DistributedDataParallel(m, pg);
            PowerSgdHook hook = new PowerSgdHook(1);
            ddp.registerCommHook(hook);
            float[] total = null;
            for (int s = 0; s < steps; s++) { // the same gradient each step
                m.zeroGrad();
                F.crossEntropy(ddp.forward(X.narrow(0, pg.rank() * 12, 12)), Y.narrow(0, pg.rank() * 12, 12)).backward();
                float[] flat = flatGrad(m);
                if (total == null) total = new float[flat.length];
                for (int i = 0; i < flat.length; i++) total[i] += flat[i];
            }
            assertTrue(hook.sentElements() * 3 < hook.denseElements(), "sent " + hook.sentElements() + " of " + hook.denseElements());
            return new float[][] {total, hook.error(0).toFloatArray()};
        });
        double err = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            double sentPlusHeld = got.get(0)[0][i] + (got.get(0)[1][i] + got.get(1)[1][i]) / world;
            assertEquals(steps * want[i], sentPlusHeld, 1e-5 + 1e-4 * Math.abs(steps * want[i]), "entry " + i);
            assertEquals(got.get(0)[0][i], got.get(1)[0][i], "replicas differ at " + i);
            err += Math.pow(got.get(0)[0][i] - steps * want[i], 2);
            norm += Math.pow(steps * want[i], 2);
        }
        assertTrue(err > 1e-6 * norm, "rank 1 factors cannot carry these gradients exactly");
    }

    /** Fixed initialisations (the global generator's state otherwise depends on which tests ran before). */
    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void trainingWithRankTwoFollowsPlainDdp(long seed) {
        Module ref;
        synchronized (DistributedDataParallelTest.INIT) {
            org.sinter.Sinter.manualSeed(seed);
            ref = DistributedDataParallelTest.mlp();
        }
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        List<double[]> losses = Ranks.run(2, Transport.AUTO, pg -> {
            double[] out = new double[2];
            for (int variant = 0; variant < 2; variant++) {
                Module m = DistributedDataParallelTest.mlp();
                m.loadStateDict(init, true);
                var ddp = new DistributedDataParallel(m, pg);
                if (variant == 1) ddp.registerCommHook(new PowerSgdHook(2, 2, 2.0, true, true, 3));
                SGD opt = new SGD(m.parameters(), SGD.options().lr(0.2).momentum(0.9));
                for (int s = 0; s < 100; s++) {
                    opt.zeroGrad();
                    int start = (s % 4) * 24 + pg.rank() * 12;
                    F.crossEntropy(ddp.forward(X.narrow(0, start, 12)), Y.narrow(0, start, 12)).backward();
                    opt.step();
                }
                out[variant] = F.crossEntropy(m.forward(X), Y).item();
            }
            return out;
        });
        double plain = losses.get(0)[0], power = losses.get(0)[1];
        double initial = F.crossEntropy(ref.forward(X), Y).item();
        // Rank-2 factors of 16 x 16 gradients lag plain averaging on a problem this small (error
        // feedback delivers the rest later), but they must train.
        assertTrue(power < 0.8 * initial, "PowerSGD training did not learn: " + initial + " -> " + power);
        assertTrue(power < plain + 0.5 * (initial - plain), "PowerSGD loss " + power + " far from plain DDP's " + plain + " (start " + initial + ")");
    }

    @Test
    void orthogonalizeGivesOrthonormalColumns() {
        Tensor a = new org.sinter.Generator(4).randn(org.sinter.DType.FLOAT32, 20, 3);
        Tensor q = PowerSgdHook.orthogonalize(a);
        Tensor gram = q.t().mm(q);
        assertTrue(gram.allclose(org.sinter.Tensor.eye(3), 1e-5, 1e-5), gram.toString());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PowerSgdHook(0));
        assertThrows(IllegalArgumentException.class, () -> new PowerSgdHook(2, -1, 2, true, true, 0));
        var e = assertThrows(IllegalStateException.class, () -> Ranks.run(1, Transport.TCP, pg -> new PowerSgdHook(1).apply(pg, 0, Tensor.zeros(4))));
        assertTrue(e.getMessage().contains("registerCommHook"), e.getMessage());
    }
}
