package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.tensor.ColumnParallelLinear;
import org.sinter.distributed.tensor.ParallelSelfAttention;
import org.sinter.distributed.tensor.RowParallelLinear;
import org.sinter.distributed.transport.Transport;
import org.sinter.nn.Linear;
import org.sinter.nn.MultiheadAttention;

/** Megatron-style tensor parallelism (ranks as threads) against the unsplit layers in one process. */
class TensorParallelTest {
    static final Object INIT = DistributedDataParallelTest.INIT;

    static Linear linear(int in, int out) {
        synchronized (INIT) {
            return new Linear(in, out);
        }
    }

    /** Copies of a full layer for each rank (shards are cut from identical full layers). */
    static Linear copyOf(Linear l) {
        Linear c = linear(l.inFeatures, l.outFeatures);
        c.loadStateDict(DistributedDataParallelTest.copy(l.stateDict()), true);
        return c;
    }

    static void close(Tensor want, Tensor have, String what) {
        assertArrayEquals(want.shape(), have.shape(), what + " shape");
        assertTrue(want.allclose(have, 1e-4, 1e-5), what + ": " + want + " vs " + have);
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 4})
    void mlpBlockMatchesTheUnsplitOne(int world) {
        Linear fc1 = linear(12, 16), fc2 = linear(16, 6);
        Tensor x = new Generator(1).randn(DType.FLOAT32, 5, 3, 12);
        Tensor xRef = x.clone().requiresGrad(true);
        Tensor yRef = fc2.forward(fc1.forward(xRef).gelu());
        Tensor upstream = new Generator(2).randn(DType.FLOAT32, 5, 3, 6);
        yRef.backward(upstream);
        Ranks.run(world, Transport.AUTO, pg -> {
            var col = new ColumnParallelLinear(copyOf(fc1), false, pg);
            var row = new RowParallelLinear(copyOf(fc2), true, pg);
            Tensor xr = x.clone().requiresGrad(true);
            Tensor y = row.forward(col.forward(xr).gelu());
            close(yRef, y, "rank " + pg.rank() + " output");
            y.backward(upstream);
            close(xRef.grad(), xr.grad(), "rank " + pg.rank() + " input gradient");
            int part1 = 16 / world;
            close(fc1.weight.grad().narrow(0, pg.rank() * part1, part1), col.weight.grad(), "fc1 weight gradient shard");
            close(fc1.bias.grad().narrow(0, pg.rank() * part1, part1), col.bias.grad(), "fc1 bias gradient shard");
            close(fc2.weight.grad().narrow(1, pg.rank() * part1, part1), row.weight.grad(), "fc2 weight gradient shard");
            close(fc2.bias.grad(), row.bias.grad(), "fc2 bias gradient");
            return null;
        });
    }

    @Test
    void gatheredColumnAndScatteredRowMatchLinear() {
        Linear a = linear(8, 12), b = linear(12, 4);
        Tensor x = new Generator(3).randn(DType.FLOAT32, 7, 8);
        Tensor xRef = x.clone().requiresGrad(true);
        Tensor mid = a.forward(xRef);
        Tensor yRef = b.forward(mid.tanh());
        yRef.sum().backward();
        Ranks.run(3, Transport.TCP, pg -> {
            var col = new ColumnParallelLinear(copyOf(a), true, pg);
            var row = new RowParallelLinear(copyOf(b), false, pg);
            Tensor xr = x.clone().requiresGrad(true);
            Tensor m = col.forward(xr);
            close(mid, m, "gathered column output");
            Tensor y = row.forward(m.tanh());
            close(yRef, y, "row output");
            y.sum().backward();
            close(xRef.grad(), xr.grad(), "input gradient");
            return null;
        });
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {2, 4})
    void selfAttentionMatchesMultiheadAttention(int world) {
        MultiheadAttention mha;
        synchronized (INIT) {
            mha = new MultiheadAttention(16, 4, MultiheadAttention.options().batchFirst(true));
        }
        Tensor x = new Generator(4).randn(DType.FLOAT32, 2, 5, 16);
        Tensor mask = MultiheadAttention.causalMask(5);
        Tensor xRef = x.clone().requiresGrad(true);
        Tensor yRef = mha.forward(xRef, xRef, xRef, null, false, mask, true).output();
        Tensor upstream = new Generator(5).randn(DType.FLOAT32, 2, 5, 16);
        yRef.backward(upstream);
        Tensor qGrad = mha.inProjWeight.grad().narrow(0, 0, 16);
        Ranks.run(world, Transport.AUTO, pg -> {
            ParallelSelfAttention tp;
            synchronized (INIT) {
                var copy = new MultiheadAttention(16, 4, MultiheadAttention.options().batchFirst(true));
                copy.loadStateDict(DistributedDataParallelTest.copy(mha.stateDict()), true);
                tp = new ParallelSelfAttention(copy, pg);
            }
            Tensor xr = x.clone().requiresGrad(true);
            Tensor y = tp.forward(xr, mask);
            close(yRef, y, "rank " + pg.rank() + " attention output");
            y.backward(upstream);
            close(xRef.grad(), xr.grad(), "rank " + pg.rank() + " input gradient");
            int part = 16 / world;
            close(qGrad.narrow(0, pg.rank() * part, part), tp.qWeight.grad(), "query projection gradient shard");
            return null;
        });
    }

    @Test
    void sgdStepsKeepTheShardsOfTheUnsplitModel() {
        Linear fc1 = linear(6, 8), fc2 = linear(8, 3);
        Linear r1 = copyOf(fc1), r2 = copyOf(fc2);
        Tensor x = new Generator(6).randn(DType.FLOAT32, 10, 6);
        Tensor target = new Generator(7).randn(DType.FLOAT32, 10, 3);
        var opt = new org.sinter.optim.SGD(List.of(r1.weight, r1.bias, r2.weight, r2.bias), 0.1);
        for (int s = 0; s < 5; s++) {
            opt.zeroGrad();
            r2.forward(r1.forward(x).relu()).sub(target).pow(2).mean().backward();
            opt.step();
        }
        Ranks.run(2, Transport.AUTO, pg -> {
            var col = new ColumnParallelLinear(copyOf(fc1), false, pg);
            var row = new RowParallelLinear(copyOf(fc2), true, pg);
            var o = new org.sinter.optim.SGD(List.of(col.weight, col.bias, row.weight, row.bias), 0.1);
            for (int s = 0; s < 5; s++) {
                o.zeroGrad();
                row.forward(col.forward(x).relu()).sub(target).pow(2).mean().backward();
                o.step();
            }
            try (var _ = Sinter.noGrad()) {
                close(r1.weight.narrow(0, pg.rank() * 4, 4), col.weight, "fc1 shard after training");
                close(r2.weight.narrow(1, pg.rank() * 4, 4), row.weight, "fc2 shard after training");
                close(r2.bias, row.bias, "fc2 bias after training");
            }
            return null;
        });
    }

    @Test
    void unevenSplitsAreNamed() {
        Ranks.run(3, Transport.TCP, pg -> {
            var e = assertThrows(IllegalArgumentException.class, () -> new ColumnParallelLinear(linear(4, 8), false, pg));
            assertTrue(e.getMessage().contains("out_features 8") && e.getMessage().contains("3 ranks"), e.getMessage());
            var r = assertThrows(IllegalArgumentException.class, () -> new RowParallelLinear(linear(4, 6), true, pg));
            assertTrue(r.getMessage().contains("in_features 4"), r.getMessage());
            var row = new RowParallelLinear(linear(6, 2), true, pg);
            var f = assertThrows(IllegalArgumentException.class, () -> row.forward(Tensor.zeros(3, 6)));
            assertTrue(f.getMessage().contains("this rank's slice"), f.getMessage());
            return null;
        });
    }
}
