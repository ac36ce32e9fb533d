package org.sinter.distributed.examples;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.distributed.Distributed;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.fsdp.FullyShardedDataParallel;
import org.sinter.distributed.fsdp.GatheredMemory;
import org.sinter.distributed.fsdp.Prefetch;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * ZeRO-3 step time with and without prefetch, one process per rank under any launcher:
 * {@code FsdpPrefetchTiming [width] [steps] [batch per rank] [compute threads]}. Two copies of
 * {@link ZeroStagesMemory}'s MLP from the same start, one layer per unit, train with Adam on the
 * same batches, their steps alternating: one gathers each unit when it is needed, the other
 * gathers the next unit while the current one computes (forward and backward prefetch). Rank 0
 * prints the median step time of each (the slowest rank's, after a barrier; the first steps are
 * warm-up) and whether every loss and the final parameters are equal bit for bit.
 */
public final class FsdpPrefetchTiming {
    private FsdpPrefetchTiming() {}

    private static final int WARMUP = 3;

    /** One of the two runs: its model, optimizer, batches and step times. */
    private static final class Run {
        final Sequential model;
        final GatheredMemory meter = new GatheredMemory();
        final Optimizer opt;
        final Generator data;
        final double[] seconds;
        final double[] losses;

        Run(int width, Prefetch prefetch, ProcessGroup pg, int steps) {
            model = FullyShardedDataParallel.wrapChildren(ZeroStagesMemory.mlp(width), pg, meter, prefetch);
            opt = ZeroStagesMemory.adam(java.util.List.of(ParamGroup.of(model.parameters())));
            data = new Generator(100 + pg.rank());
            seconds = new double[steps];
            losses = new double[steps];
        }

        void step(int s, int batch, ProcessGroup pg) {
            Tensor x = data.randn(DType.FLOAT32, batch, 784);
            Tensor y = data.randint(0, 10, batch);
            pg.barrier();
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step();
            Tensor dt = Tensor.of(new double[] {(System.nanoTime() - t0) / 1e9}, 1);
            pg.allReduce(dt, ReduceOp.MAX);
            seconds[s] = dt.item();
            losses[s] = loss.item();
        }

        double median() {
            double[] t = Arrays.copyOfRange(seconds, WARMUP, seconds.length);
            Arrays.sort(t);
            return t[t.length / 2];
        }
    }

    public static void main(String[] args) {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        if (args.length > 3) org.sinter.Sinter.setNumThreads(Integer.parseInt(args[3]));
        if (steps <= WARMUP) throw new IllegalArgumentException("FsdpPrefetchTiming: steps must exceed the " + WARMUP + " warm-up steps, got " + steps);
        try (ProcessGroup pg = Distributed.initProcessGroup()) {
            Run plain = new Run(width, Prefetch.none(), pg, steps);
            Run ahead = new Run(width, Prefetch.of(true, true), pg, steps);
            for (int s = 0; s < steps; s++) {
                plain.step(s, batch, pg);
                ahead.step(s, batch, pg);
            }
            boolean same = Arrays.equals(plain.losses, ahead.losses) && sameParameters(plain.model, ahead.model);
            if (pg.rank() == 0) {
                double p = plain.median(), a = ahead.median();
                System.out.printf(Locale.ROOT, "# ZeRO-3 prefetch, %d ranks (%s), MLP 784-%d-%d-%d-10, batch %d per rank, median of %d steps after %d warm-up%n",
                        pg.size(), pg.transports(), width, width, width, batch, steps - WARMUP, WARMUP);
                System.out.printf(Locale.ROOT, "no prefetch %.1f ms/step, prefetch %.1f ms/step (%.3fx), peak gathered %.2f / %.2f MiB, bitwise equal: %s%n",
                        p * 1e3, a * 1e3, p / a, plain.meter.peakBytes() / 1048576.0, ahead.meter.peakBytes() / 1048576.0, same);
            }
            if (!same) throw new IllegalStateException("rank " + pg.rank() + ": prefetch changed the training (losses " + Arrays.toString(plain.losses)
                    + " vs " + Arrays.toString(ahead.losses) + ")");
        }
    }

    private static boolean sameParameters(Sequential a, Sequential b) {
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof FullyShardedDataParallel ua)) continue;
            Map<String, Tensor> sa = ua.fullStateDict(), sb = ((FullyShardedDataParallel) b.get(i)).fullStateDict();
            for (var e : sa.entrySet()) if (!e.getValue().equal(sb.get(e.getKey()))) return false;
        }
        return true;
    }
}
