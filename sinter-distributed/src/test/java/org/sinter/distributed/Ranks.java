package org.sinter.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.sinter.distributed.store.TcpStore;
import org.sinter.distributed.store.TcpStoreServer;
import org.sinter.distributed.transport.Transport;

/** Runs a job's ranks as threads of this JVM, over loopback TCP or shared memory. */
final class Ranks {
    private Ranks() {}

    interface Body<T> {
        T run(ProcessGroup pg) throws Exception;
    }

    static <T> List<T> run(int world, Transport transport, Body<T> body) {
        return run(world, transport, Duration.ofSeconds(60), body);
    }

    static <T> List<T> run(int world, Transport transport, Duration timeout, Body<T> body) {
        ExecutorService pool = Executors.newFixedThreadPool(world);
        try (TcpStoreServer server = new TcpStoreServer(java.net.InetAddress.getLoopbackAddress(), 0)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < world; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (TcpStore store = new TcpStore("127.0.0.1", server.port(), timeout);
                         ProcessGroup pg = ProcessGroup.create(store, "test", rank, world, ProcessGroupOptions.local(transport, timeout))) {
                        return body.run(pg);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get(timeout.toSeconds() * 3, TimeUnit.SECONDS));
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
