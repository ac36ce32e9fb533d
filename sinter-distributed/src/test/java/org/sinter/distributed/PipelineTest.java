package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.distributed.pipeline.Pipeline;
import org.sinter.distributed.pipeline.Pipeline.Schedule;
import org.sinter.distributed.transport.Transport;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/** Pipeline parallelism (stages as threads) against the whole model trained in one process. */
class PipelineTest {
    static final Tensor X = new Generator(11).randn(DType.FLOAT32, 16, 6);
    static final Tensor Y = new Generator(12).randint(0, 3, 16);

    /** Eight layers, so that 2 and 4 stages both get whole layers. */
    static Sequential model() {
        synchronized (DistributedDataParallelTest.INIT) {
            return new Sequential(new Linear(6, 10), new ReLU(), new Linear(10, 10), new Tanh(),
                    new Linear(10, 10), new ReLU(), new Linear(10, 3), new Tanh());
        }
    }

    /** Stage s of n: its consecutive share of the layers, with the weights of {@code full}. */
    static Sequential stage(Sequential full, int s, int n) {
        List<Module> layers = new ArrayList<>(full.children());
        int per = layers.size() / n;
        Sequential mine = model();
        mine.loadStateDict(DistributedDataParallelTest.copy(full.stateDict()), true);
        List<Module> all = new ArrayList<>(mine.children());
        return new Sequential(all.subList(s * per, (s + 1) * per).toArray(new Module[0]));
    }

    @ParameterizedTest(name = "{0} stages, {1} micro-batches, {2}")
    @CsvSource({"2, 4, GPIPE", "2, 4, ONE_F_ONE_B", "4, 8, ONE_F_ONE_B", "4, 2, GPIPE", "4, 3, ONE_F_ONE_B"})
    void trainsAsTheWholeModelDoes(int stages, int microBatches, Schedule schedule) {
        int batch = microBatches * 4;
        Tensor x = X.narrow(0, 0, Math.min(batch, 16)), y = Y.narrow(0, 0, Math.min(batch, 16));
        if (batch > 16) {
            x = Tensor.cat(List.of(X, X.narrow(0, 0, batch - 16)), 0);
            y = Tensor.cat(List.of(Y, Y.narrow(0, 0, batch - 16)), 0);
        }
        Tensor input = x, target = y;
        Sequential ref = model();
        Sequential init = model();
        init.loadStateDict(DistributedDataParallelTest.copy(ref.stateDict()), true);
        SGD opt = new SGD(ref.parameters(), SGD.options().lr(0.2).momentum(0.9));
        List<Double> refLosses = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            opt.zeroGrad();
            Tensor l = F.crossEntropy(ref.forward(input), target);
            refLosses.add(l.item());
            l.backward();
            opt.step();
        }
        List<Object[]> got = Ranks.run(stages, Transport.AUTO, pg -> {
            Sequential mine = stage(init, pg.rank(), stages);
            Pipeline pipe = new Pipeline(mine, pg, schedule);
            SGD o = new SGD(mine.parameters(), SGD.options().lr(0.2).momentum(0.9));
            List<Double> losses = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                o.zeroGrad();
                losses.add(pipe.step(pipe.isFirst() ? input : null, pipe.isLast() ? target : null, F::crossEntropy, microBatches));
                o.step();
            }
            return new Object[] {losses, DistributedDataParallelTest.copy(mine.stateDict()), pipe.maxLiveActivations()};
        });
        Sequential trained = ref;
        for (int r = 0; r < stages; r++) {
            @SuppressWarnings("unchecked") List<Double> losses = (List<Double>) got.get(r)[0];
            for (int s = 0; s < 3; s++) assertEquals(refLosses.get(s), losses.get(s), 1e-5, "rank " + r + " loss at step " + s);
            @SuppressWarnings("unchecked") Map<String, Tensor> sd = (Map<String, Tensor>) got.get(r)[1];
            Sequential want = stage(trained, r, stages);
            for (var e : want.stateDict().entrySet()) {
                assertTrue(e.getValue().allclose(sd.get(e.getKey()), 1e-5, 1e-6), "stage " + r + " " + e.getKey());
            }
            int live = (int) got.get(r)[2];
            int bound = schedule == Schedule.GPIPE ? microBatches : Math.min(stages - r, microBatches);
            assertEquals(bound, live, "stage " + r + " held activations of " + live + " micro-batches");
        }
    }

    @Test
    void pointToPointKeepsOrderAndCrossingSendsDoNotDeadlock() {
        // 4 MiB each way at once: larger than socket buffers, so blocking sends would deadlock.
        int n = 1 << 20;
        List<float[]> got = Ranks.run(2, Transport.TCP, pg -> {
            int peer = 1 - pg.rank();
            Tensor a = Tensor.full(pg.rank() + 1.0, n), b = Tensor.full(pg.rank() + 10.0, 3);
            var w1 = pg.isend(a, peer);
            var w2 = pg.isend(b, peer);
            Tensor ra = Tensor.zeros(n), rb = Tensor.zeros(3);
            pg.recv(ra, peer);
            pg.recv(rb, peer);
            w1.await();
            w2.await();
            return new float[] {ra.toFloatArray()[n - 1], rb.toFloatArray()[0]};
        });
        assertArrayEquals(new float[] {2, 11}, got.get(0));
        assertArrayEquals(new float[] {1, 10}, got.get(1));
    }

    @Test
    void badCallsAreNamed() {
        Ranks.run(2, Transport.TCP, pg -> {
            var e = assertThrows(IllegalArgumentException.class, () -> pg.isend(Tensor.zeros(2), pg.rank()));
            assertTrue(e.getMessage().contains("itself"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pg.irecv(Tensor.zeros(2), 5));
            Pipeline pipe = new Pipeline(new Sequential(new Linear(6, 6)), pg, Schedule.GPIPE);
            if (pg.rank() == 0) {
                var m = assertThrows(IllegalArgumentException.class, () -> pipe.step(X.narrow(0, 0, 5), null, null, 2));
                assertTrue(m.getMessage().contains("does not split into 2"), m.getMessage());
            } else {
                var m = assertThrows(IllegalArgumentException.class, () -> pipe.step(null, null, null, 2));
                assertTrue(m.getMessage().contains("target"), m.getMessage());
            }
            return null;
        });
    }
}
