package org.sinter.distributed.examples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Storage;
import org.sinter.Tensor;
import org.sinter.distributed.Distributed;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.distributed.fsdp.FullyShardedDataParallel;
import org.sinter.distributed.fsdp.GatheredMemory;
import org.sinter.distributed.optim.ZeroRedundancyOptimizer;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * The memory of ZeRO's stages side by side, one process per rank under any launcher:
 * {@code ZeroStagesMemory [width] [steps]}. The same MLP (784 → width → width → width → 10) from
 * the same start is trained with Adam on the same batches as plain DDP (stage 0), DDP with
 * optimizer-state sharding (1), gradient sharding (2) and fully sharded units (3). Each rank
 * counts the bytes of the tensors it holds, read from the live objects (distinct parameter
 * storages, the gradients present, the optimizer's state tensors) after the last step, and the
 * most parameter and gradient bytes it held at once during the steps; rank 0 prints the largest
 * of each over the ranks and every stage's last loss (the stages compute the same training).
 */
public final class ZeroStagesMemory {
    private ZeroStagesMemory() {}

    private static final int BATCH_PER_RANK = 16;

    public static void main(String[] args) {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (ProcessGroup pg = Distributed.initProcessGroup()) {
            List<long[]> rows = new ArrayList<>();
            for (int stage = 0; stage <= 3; stage++) rows.add(measure(stage, width, steps, pg));
            if (pg.rank() == 0) {
                System.out.printf(Locale.ROOT, "# ZeRO stages, %d ranks, MLP 784-%d-%d-%d-10 (%d parameters), Adam, float32; bytes per rank (largest over ranks)%n",
                        pg.size(), width, width, width, parameterCount(width));
                System.out.println("| stage | parameters | gradients | optimizer state | total held after step | vs stage 0 | peak parameters | peak gradients | last loss |");
                System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                long base = rows.getFirst()[0] + rows.getFirst()[1] + rows.getFirst()[2];
                for (int s = 0; s <= 3; s++) {
                    long[] r = rows.get(s);
                    long total = r[0] + r[1] + r[2];
                    System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %.3f | %s | %s | %.6f |%n", s, mib(r[0]), mib(r[1]), mib(r[2]),
                            mib(total), (double) total / base, mib(r[3]), mib(r[4]), Double.longBitsToDouble(r[5]));
                }
            }
        }
    }

    /** The measured MLP, 784 → width → width → width → 10, from the same seed on every rank and call. */
    public static Sequential mlp(int width) {
        synchronized (ZeroStagesMemory.class) {
            org.sinter.Sinter.manualSeed(1);
            return new Sequential(new Linear(784, width), new ReLU(), new Linear(width, width), new ReLU(),
                    new Linear(width, width), new ReLU(), new Linear(width, 10));
        }
    }

    /** Parameters of the measured MLP of width {@code width}. */
    public static long parameterCount(int width) {
        return 784L * width + width + 2L * (width * (long) width + width) + width * 10L + 10;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }

    /**
     * {parameter, gradient, state bytes after the last step, peak parameter bytes, peak gradient
     * bytes, the last global loss's bits}, each the largest over the ranks (a collective).
     */
    public static long[] measure(int stage, int width, int steps, ProcessGroup pg) {
        Sequential model = mlp(width);
        List<Tensor> moduleParams = model.parameters();
        long[] peakGrad = new long[1];
        List<Tensor> watched = new ArrayList<>(moduleParams);
        Optimizer[] built = new Optimizer[1];
        // Registered before any wrapper's own hooks, so it sees each gradient as soon as it is
        // complete; stage 2's owner also counts the reduced sums it keeps until the step.
        for (Tensor p : moduleParams) {
            p.registerPostAccumulateGradHook(t -> peakGrad[0] = Math.max(peakGrad[0], gradBytes(watched)
                    + (built[0] instanceof ZeroRedundancyOptimizer z ? z.reducedGradientBytes() : 0)));
        }
        GatheredMemory meter = new GatheredMemory();
        Module forward;
        Optimizer opt;
        List<Tensor> held;
        switch (stage) {
            case 0 -> {
                forward = new DistributedDataParallel(model, pg, DistributedDataParallel.Options.defaults());
                opt = adam(List.of(ParamGroup.of(moduleParams)));
                held = moduleParams;
            }
            case 1 -> {
                forward = new DistributedDataParallel(model, pg, DistributedDataParallel.Options.defaults());
                opt = new ZeroRedundancyOptimizer(List.of(ParamGroup.of(moduleParams)), ZeroStagesMemory::adam, pg);
                held = moduleParams;
            }
            case 2 -> {
                forward = model;
                opt = new ZeroRedundancyOptimizer(List.of(ParamGroup.of(moduleParams)), ZeroStagesMemory::adam, pg, ZeroRedundancyOptimizer.Stage.GRADIENTS);
                held = moduleParams;
            }
            default -> {
                Sequential sharded = FullyShardedDataParallel.wrapChildren(model, pg, meter);
                forward = sharded;
                opt = adam(List.of(ParamGroup.of(sharded.parameters())));
                held = sharded.parameters(); // the shards; the full parameters are counted by the meter
                watched.addAll(held);
                meter.resetPeak();
            }
        }
        built[0] = opt;
        Generator gen = new Generator(100 + pg.rank());
        double loss = 0;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor x = gen.randn(DType.FLOAT32, BATCH_PER_RANK, 784);
            Tensor y = gen.randint(0, 10, BATCH_PER_RANK);
            Tensor l = F.crossEntropy(forward.forward(x), y);
            loss = l.item();
            l.backward();
            opt.step();
        }
        long params = storageBytes(held) + meter.currentBytes();
        long grads = gradBytes(watched);
        long state = opt instanceof ZeroRedundancyOptimizer z ? z.localStateNumel() * 4 : stateBytes(opt);
        long peakParams = stage == 3 ? storageBytes(held) + meter.peakBytes() : params;
        Tensor mine = Tensor.of(new double[] {params, grads, state, peakParams, peakGrad[0]}, 5);
        pg.allReduce(mine, ReduceOp.MAX);
        Tensor globalLoss = Tensor.of(new double[] {loss / pg.size()}, 1);
        pg.allReduce(globalLoss, ReduceOp.SUM);
        long[] out = new long[6];
        for (int i = 0; i < 5; i++) out[i] = (long) mine.toDoubleArray()[i];
        out[5] = Double.doubleToLongBits(globalLoss.item());
        return out;
    }

    static Optimizer adam(List<ParamGroup> groups) {
        return new Adam(groups, Adam.options().lr(1e-3));
    }

    private static long storageBytes(List<Tensor> ts) {
        Set<Storage> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long b = 0;
        for (Tensor t : ts) if (seen.add(t.storage())) b += (long) t.storage().length() * t.dtype().itemSize();
        return b;
    }

    private static long gradBytes(List<Tensor> ts) {
        long b = 0;
        for (Tensor t : ts) if (t.grad() != null) b += t.grad().numel() * t.grad().dtype().itemSize();
        return b;
    }

    private static long stateBytes(Optimizer opt) {
        long b = 0;
        for (Tensor t : opt.stateTensors().values()) b += t.numel() * t.dtype().itemSize();
        return b;
    }
}
