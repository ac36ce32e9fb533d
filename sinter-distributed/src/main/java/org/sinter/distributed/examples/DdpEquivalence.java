package org.sinter.distributed.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.Distributed;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.ddp.DistributedDataParallel;
import org.sinter.io.AtomicFiles;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * The data-parallel equivalence check: an MLP classifier trained with SGD (momentum) on a fixed
 * synthetic data set, the global batch split evenly across ranks. Run alone it gives the
 * single-process losses; run under a launcher ({@code torchrun --no_python}, {@code mpirun},
 * {@code sinter launch}) every rank trains its slice through {@link DistributedDataParallel}
 * and rank 0 writes the global loss of each step, which must match.
 *
 * <p>Usage: {@code DdpEquivalence <steps> <global batch> <losses file>}; with {@code --single}
 * first it ignores any launcher environment.
 */
public final class DdpEquivalence {
    private DdpEquivalence() {}

    static final int SAMPLES = 1024, FEATURES = 20, CLASSES = 10;

    public static void main(String[] args) throws IOException {
        boolean single = args.length > 0 && args[0].equals("--single");
        int a = single ? 1 : 0;
        if (args.length - a != 3) {
            System.err.println("usage: DdpEquivalence [--single] <steps> <global batch> <losses file>");
            System.exit(2);
        }
        int steps = Integer.parseInt(args[a]);
        int batch = Integer.parseInt(args[a + 1]);
        Path out = Path.of(args[a + 2]);
        double[] losses;
        int rank = 0;
        if (single) {
            losses = train(null, steps, batch);
        } else {
            try (ProcessGroup pg = Distributed.initProcessGroup()) {
                rank = pg.rank();
                losses = train(pg, steps, batch);
                pg.barrier();
            }
        }
        if (rank == 0) {
            StringBuilder sb = new StringBuilder();
            for (double l : losses) sb.append(String.format(Locale.ROOT, "%.17g%n", l));
            AtomicFiles.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Trains {@code steps} steps; {@code pg} null means one process with the whole batch. Returns the global loss per step. */
    public static double[] train(ProcessGroup pg, int steps, int globalBatch) {
        int world = pg == null ? 1 : pg.size();
        int rank = pg == null ? 0 : pg.rank();
        if (globalBatch % world != 0) throw new IllegalArgumentException("global batch " + globalBatch + " must divide among " + world + " ranks");
        Generator data = new Generator(1234);
        Tensor x = data.randn(DType.FLOAT32, SAMPLES, FEATURES);
        Tensor teacher = data.randn(DType.FLOAT32, FEATURES, CLASSES);
        Tensor y = x.matmul(teacher).argmax(1, false);

        Sinter.manualSeed(7);
        Module mlp = new Sequential(new Linear(FEATURES, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, CLASSES));
        // Small buckets, so that several all-reduces overlap backward even on this small model.
        Module model = pg == null ? mlp : new DistributedDataParallel(mlp, pg, DistributedDataParallel.Options.defaults().withBucketCapMb(0.01));
        SGD opt = new SGD(mlp.parameters(), SGD.options().lr(0.02).momentum(0.9));
        double[] losses = new double[steps];
        int per = globalBatch / world;
        for (int s = 0; s < steps; s++) {
            int start = (s * globalBatch) % (SAMPLES - globalBatch + 1) + rank * per;
            Tensor xb = x.narrow(0, start, per), yb = y.narrow(0, start, per);
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(xb), yb);
            loss.backward();
            opt.step();
            Tensor l = Tensor.of(new double[] {loss.item()}, 1);
            if (pg != null) pg.allReduce(l, ReduceOp.AVG);
            losses[s] = l.item();
        }
        return losses;
    }
}
