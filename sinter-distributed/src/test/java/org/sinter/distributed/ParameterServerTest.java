package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.Tensor;
import org.sinter.distributed.ps.Consistency;
import org.sinter.distributed.ps.ParameterServer;
import org.sinter.distributed.ps.PsWorker;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/** The parameter server: shards as servers and workers as threads of this JVM, over loopback TCP. */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
class ParameterServerTest {
    static final Tensor X = DistributedDataParallelTest.X;
    static final Tensor Y = DistributedDataParallelTest.Y;

    /** Servers holding {@code model}'s parameters in {@code shards} shards, SGD with momentum. */
    static List<ParameterServer> servers(Module model, int shards, int workers, Consistency c) throws Exception {
        float[] flat = PsWorker.flatten(model);
        List<ParameterServer> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            out.add(new ParameterServer(s, PsWorker.shard(flat, shards, s), workers, c, g -> new SGD(g, SGD.options().lr(0.1).momentum(0.9)),
                    new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), Duration.ofSeconds(30)));
        }
        return out;
    }

    static List<InetSocketAddress> addresses(List<ParameterServer> servers) {
        return servers.stream().map(ParameterServer::address).toList();
    }

    /** Runs {@code body(worker)} on {@code n} threads and returns their results. */
    static <T> List<T> onWorkers(int n, java.util.function.IntFunction<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int id = w;
                fs.add(pool.submit(() -> body.apply(id)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get(120, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void synchronousTrainingIsMiniBatchSgdOnTheWholeBatch() throws Exception {
        Module ref = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(ref.stateDict());
        SGD opt = new SGD(ref.parameters(), SGD.options().lr(0.1).momentum(0.9));
        int workers = 3, steps = 4;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            F.crossEntropy(ref.forward(X.narrow(0, s * 24, 24)), Y.narrow(0, s * 24, 24)).backward();
            opt.step();
        }
        List<ParameterServer> servers = servers(fresh(init), 2, workers, Consistency.sync());
        try {
            List<Map<String, Tensor>> got = onWorkers(workers, w -> {
                Module m = fresh(init);
                try (PsWorker ps = new PsWorker(w, m, addresses(servers), Duration.ofSeconds(30))) {
                    for (int s = 0; s < steps; s++) {
                        ps.pull();
                        m.zeroGrad();
                        F.crossEntropy(m.forward(X.narrow(0, s * 24 + w * 8, 8)), Y.narrow(0, s * 24 + w * 8, 8)).backward();
                        ps.push();
                    }
                    ps.pull();
                }
                return DistributedDataParallelTest.copy(m.stateDict());
            });
            for (int w = 0; w < workers; w++) {
                for (var e : ref.stateDict().entrySet()) {
                    assertTrue(e.getValue().allclose(got.get(w).get(e.getKey()), 1e-5, 1e-6), "worker " + w + " " + e.getKey());
                }
            }
            assertEquals(steps, servers.get(0).version());
        } finally {
            servers.forEach(ParameterServer::close);
        }
    }

    static Module fresh(Map<String, Tensor> init) {
        Module m = DistributedDataParallelTest.mlp();
        m.loadStateDict(init, true);
        return m;
    }

    /** Two fast workers and one slow one, 12 clocks each; returns the largest clock gap a server saw. */
    static int gapWith(Consistency c) throws Exception {
        Module model = DistributedDataParallelTest.mlp();
        Map<String, Tensor> init = DistributedDataParallelTest.copy(model.stateDict());
        List<ParameterServer> servers = servers(model, 1, 3, c);
        try {
            onWorkers(3, w -> {
                Module m = fresh(init);
                try (PsWorker ps = new PsWorker(w, m, addresses(servers), Duration.ofSeconds(30))) {
                    for (int s = 0; s < 12; s++) {
                        ps.pull();
                        m.zeroGrad();
                        F.crossEntropy(m.forward(X.narrow(0, w * 8, 8)), Y.narrow(0, w * 8, 8)).backward();
                        if (w == 2) sleep(40);
                        ps.push();
                    }
                }
                return null;
            });
            assertEquals(36, servers.getFirst().version(), "every push applied on arrival");
            return servers.getFirst().maxObservedClockGap();
        } finally {
            servers.forEach(ParameterServer::close);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void staleSynchronousBoundsTheClockGapAndAsynchronousDoesNot() throws Exception {
        int ssp = gapWith(Consistency.ssp(2));
        assertTrue(ssp <= 3, "SSP(2) let a worker read " + ssp + " clocks ahead of the slowest");
        assertTrue(ssp >= 2, "the slow worker should have made the fast ones wait at the bound, gap " + ssp);
        int async = gapWith(Consistency.async());
        assertTrue(async > 3, "ASYNC should let fast workers run ahead; gap " + async);
    }

    @Test
    void badRequestsAreRefusedAndTheServerKeepsServing() throws Exception {
        Module model = DistributedDataParallelTest.mlp();
        List<ParameterServer> servers = servers(model, 1, 2, Consistency.async());
        try {
            ParameterServer server = servers.getFirst();
            // Garbage request code on a raw connection: an error reply naming the server.
            try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                var out = new DataOutputStream(s.getOutputStream());
                var in = new DataInputStream(s.getInputStream());
                out.writeByte(99);
                out.flush();
                assertEquals(5, in.readByte());
                String msg = in.readUTF();
                assertTrue(msg.contains("shard 0") && msg.contains("unknown request code 99"), msg);
            }
            // A worker id outside the job.
            var e = assertThrows(IllegalStateException.class, () -> new PsWorker(7, model, addresses(servers), Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("worker id 7"), e.getMessage());
            // A model of another size than the shard.
            Module other = new org.sinter.nn.Linear(3, 2);
            var m = assertThrows(IllegalStateException.class, () -> new PsWorker(0, other, addresses(servers), Duration.ofSeconds(5)));
            assertTrue(m.getMessage().contains("holds " + server.size()), m.getMessage());
            // Still serving: a proper worker pulls and pushes.
            try (PsWorker ok = new PsWorker(1, model, addresses(servers), Duration.ofSeconds(5))) {
                ok.pull();
                F.crossEntropy(model.forward(X.narrow(0, 0, 4)), Y.narrow(0, 0, 4)).backward();
                ok.push();
                ok.pull();
                ok.push();
            }
            assertEquals(2, server.version());
        } finally {
            servers.forEach(ParameterServer::close);
        }
    }

    @Test
    void aSynchronousPullTimesOutWithAClearError() throws Exception {
        Module model = DistributedDataParallelTest.mlp();
        float[] flat = PsWorker.flatten(model);
        try (ParameterServer server = new ParameterServer(0, flat, 2, Consistency.sync(), g -> new SGD(g, SGD.options().lr(0.1)),
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), Duration.ofSeconds(1));
             PsWorker w = new PsWorker(0, model, List.of(server.address()), Duration.ofSeconds(1))) {
            w.pull();
            F.crossEntropy(model.forward(X.narrow(0, 0, 4)), Y.narrow(0, 0, 4)).backward();
            w.push();
            // Worker 1 never pushes clock 0: the read of clock 1 cannot be answered.
            var e = assertThrows(IllegalStateException.class, w::pull);
            assertTrue(e.getMessage().contains("worker 0's pull at clock 1") && e.getMessage().contains("SYNC"), e.getMessage());
        }
    }
}
