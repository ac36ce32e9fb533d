package org.sinter.distributed.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.Distributed;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ps.Consistency;
import org.sinter.distributed.ps.ParameterServer;
import org.sinter.distributed.ps.PsWorker;
import org.sinter.io.AtomicFiles;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * A parameter-server job under any launcher ({@code sinter launch}, {@code torchrun --no_python},
 * {@code mpirun}): the first {@code servers} ranks each serve one shard of the model's parameters,
 * the others train on their slice of the global batch, pulling and pushing through the servers.
 * Addresses travel through the process group (an all-gather of each server's IPv4 address and
 * port), which is used for nothing else. Rank {@code servers} (the first worker) writes the loss of
 * each step on the whole batch; with {@code sync} it equals one process training on the whole batch.
 *
 * <p>Usage: {@code ParameterServerJob <servers> sync|ssp:<s>|async <steps> <global batch> <losses file>},
 * or {@code --single <steps> <global batch> <losses file>}.
 */
public final class ParameterServerJob {
    private ParameterServerJob() {}

    static final int SAMPLES = 1024, FEATURES = 20, CLASSES = 10;

    public static void main(String[] args) throws IOException {
        if (args.length == 4 && args[0].equals("--single")) {
            write(Path.of(args[3]), single(Integer.parseInt(args[1]), Integer.parseInt(args[2])));
            return;
        }
        if (args.length != 5) {
            System.err.println("usage: ParameterServerJob <servers> sync|ssp:<staleness>|async <steps> <global batch> <losses file>");
            System.exit(2);
        }
        int servers = Integer.parseInt(args[0]);
        Consistency consistency = parse(args[1]);
        int steps = Integer.parseInt(args[2]), batch = Integer.parseInt(args[3]);
        try (ProcessGroup pg = Distributed.initProcessGroup()) {
            double[] losses = run(pg, servers, consistency, steps, batch);
            if (pg.rank() == servers) write(Path.of(args[4]), losses);
        }
    }

    static Consistency parse(String s) {
        if (s.equals("sync")) return Consistency.sync();
        if (s.equals("async")) return Consistency.async();
        if (s.startsWith("ssp:")) return Consistency.ssp(Integer.parseInt(s.substring(4)));
        throw new IllegalArgumentException("consistency must be sync, async or ssp:<staleness>, got '" + s + "'");
    }

    /** The model and data every rank builds alike. */
    record Problem(Module model, Tensor x, Tensor y) {
        static Problem make() {
            Generator data = new Generator(4321);
            Tensor x = data.randn(DType.FLOAT32, SAMPLES, FEATURES);
            Tensor y = x.matmul(data.randn(DType.FLOAT32, FEATURES, CLASSES)).argmax(1, false);
            Sinter.manualSeed(9);
            Module m = new Sequential(new Linear(FEATURES, 64), new ReLU(), new Linear(64, CLASSES));
            return new Problem(m, x, y);
        }

        int start(int step, int batch) {
            return (step * batch) % (SAMPLES - batch + 1);
        }

        double loss(int step, int batch) {
            try (var _ = Sinter.noGrad()) {
                int s = start(step, batch);
                return F.crossEntropy(model.forward(x.narrow(0, s, batch)), y.narrow(0, s, batch)).item();
            }
        }
    }

    static SGD optimizer(List<org.sinter.optim.ParamGroup> groups) {
        return new SGD(groups, SGD.options().lr(0.05).momentum(0.9));
    }

    /** One process, whole batches: the reference for SYNC. Loss before each step. */
    public static double[] single(int steps, int batch) {
        Problem p = Problem.make();
        SGD opt = optimizer(List.of(org.sinter.optim.ParamGroup.of(p.model().parameters())));
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            losses[s] = p.loss(s, batch);
            opt.zeroGrad();
            int st = p.start(s, batch);
            F.crossEntropy(p.model().forward(p.x().narrow(0, st, batch)), p.y().narrow(0, st, batch)).backward();
            opt.step();
        }
        return losses;
    }

    /** This rank's part of the job; the first worker returns the loss before each step, the others null. */
    public static double[] run(ProcessGroup pg, int servers, Consistency consistency, int steps, int batch) throws IOException {
        int workers = pg.size() - servers;
        if (servers < 1 || workers < 1) throw new IllegalArgumentException("need at least one server and one worker, got " + servers + " of " + pg.size() + " ranks");
        if (batch % workers != 0) throw new IllegalArgumentException("global batch " + batch + " must divide among " + workers + " workers");
        Problem p = Problem.make();
        ParameterServer server = null;
        long[] mine = {0, 0};
        if (pg.rank() < servers) {
            float[] flat = PsWorker.flatten(p.model());
            InetAddress host = InetAddress.getByName(pg.options().advertiseHost() != null ? pg.options().advertiseHost() : "127.0.0.1");
            server = new ParameterServer(pg.rank(), PsWorker.shard(flat, servers, pg.rank()), workers, consistency,
                    ParameterServerJob::optimizer, new InetSocketAddress(host, 0), pg.options().timeout());
            mine = new long[] {ipv4(host), server.address().getPort()};
        }
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < pg.size(); r++) all.add(Tensor.zeros(DType.INT64, 2));
        pg.allGather(all, Tensor.of(mine, 2));
        double[] losses = null;
        try {
            if (server == null) {
                List<InetSocketAddress> addresses = new ArrayList<>();
                for (int s = 0; s < servers; s++) {
                    long[] a = all.get(s).toLongArray();
                    addresses.add(new InetSocketAddress(fromIpv4(a[0]), (int) a[1]));
                }
                int worker = pg.rank() - servers, per = batch / workers;
                boolean reporter = worker == 0;
                if (reporter) losses = new double[steps];
                try (PsWorker ps = new PsWorker(worker, p.model(), addresses, pg.options().timeout())) {
                    for (int s = 0; s < steps; s++) {
                        ps.pull();
                        if (reporter) losses[s] = p.loss(s, batch);
                        p.model().zeroGrad();
                        int st = p.start(s, batch) + worker * per;
                        F.crossEntropy(p.model().forward(p.x().narrow(0, st, per)), p.y().narrow(0, st, per)).backward();
                        ps.push();
                    }
                }
            }
            pg.barrier(); // servers stay up until every worker is done
        } finally {
            if (server != null) server.close();
        }
        return losses;
    }

    private static long ipv4(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 4) throw new IllegalArgumentException("parameter server job: IPv4 addresses only, got " + a);
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static InetAddress fromIpv4(long v) throws IOException {
        return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static void write(Path out, double[] losses) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (double l : losses) sb.append(String.format(Locale.ROOT, "%.17g%n", l));
        AtomicFiles.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
