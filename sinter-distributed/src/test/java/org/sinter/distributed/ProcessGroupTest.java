package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.distributed.store.DistributedTimeoutException;
import org.sinter.distributed.store.TcpStore;
import org.sinter.distributed.store.TcpStoreServer;
import org.sinter.distributed.transport.PeerFailureException;
import org.sinter.distributed.transport.Transport;

/** Sub-groups, asynchronous handles, bad arguments, and failures that name the rank. */
class ProcessGroupTest {
    @Test
    void subGroupsReduceAmongTheirMembersOnly() {
        List<double[]> out = Ranks.run(5, Transport.AUTO, pg -> {
            Optional<ProcessGroup> odd = pg.newGroup(1, 3);
            Optional<ProcessGroup> evenReversed = pg.newGroup(4, 2, 0);
            assertEquals(pg.rank() % 2 == 1, odd.isPresent());
            assertEquals(pg.rank() % 2 == 0, evenReversed.isPresent());
            ProcessGroup g = odd.orElseGet(evenReversed::orElseThrow);
            if (pg.rank() == 4) assertEquals(0, g.rank()); // ranked by position in the list
            Tensor t = Tensor.of(new double[] {pg.rank()}, 1);
            g.allReduce(t, ReduceOp.SUM);
            g.barrier();
            g.close();
            pg.barrier();
            return t.toDoubleArray();
        });
        double[] expected = {6, 4, 6, 4, 6};
        for (int r = 0; r < 5; r++) assertEquals(expected[r], out.get(r)[0], "rank " + r);
    }

    @Test
    void asyncHandlesCompleteInIssueOrder() {
        Ranks.run(3, Transport.TCP, pg -> {
            List<Tensor> ts = new ArrayList<>();
            List<Work> works = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                Tensor t = Tensor.full(k + pg.rank(), DType.FLOAT32, 1000);
                ts.add(t);
                works.add(pg.allReduceAsync(t, ReduceOp.SUM));
            }
            works.get(19).await();
            for (Work w : works) assertTrue(w.isCompleted());
            for (int k = 0; k < 20; k++) assertEquals(3 * k + 3, ts.get(k).toFloatArray()[999]);
            return null;
        });
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyCommunication() {
        Ranks.run(2, Transport.TCP, pg -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pg.allReduce(Tensor.ones(2, 3).t()));
            assertTrue(e.getMessage().contains("contiguous"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pg.broadcast(Tensor.ones(2), 2));
            assertTrue(e.getMessage().contains("src 2"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pg.allGather(List.of(Tensor.ones(2)), Tensor.ones(2)));
            assertTrue(e.getMessage().contains("2 tensors"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pg.allGatherIntoTensor(Tensor.ones(3), Tensor.ones(2)));
            assertTrue(e.getMessage().contains("allGatherIntoTensor"), e.getMessage());
            pg.barrier(); // still usable
            return null;
        });
    }

    @Test
    void aRankThatLeavesIsNamedByTheOthers() {
        List<String> errors = Ranks.run(3, Transport.TCP, Duration.ofSeconds(20), pg -> {
            if (pg.rank() == 2) {
                pg.close(); // as if the process died: its sockets close
                return "";
            }
            long t0 = System.nanoTime();
            RuntimeException e = assertThrows(RuntimeException.class, () -> pg.allReduce(Tensor.ones(1000)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "detected late");
            // Later calls fail at once with the same cause.
            RuntimeException again = assertThrows(IllegalStateException.class, () -> pg.barrier());
            assertTrue(again.getMessage().contains("broken"), again.getMessage());
            return e.getMessage();
        });
        for (int r = 0; r < 2; r++) assertTrue(errors.get(r).contains("rank 2"), "rank " + r + ": " + errors.get(r));
    }

    @Test
    void aRankThatHangsOverSharedMemoryTimesOutNamingIt() {
        List<String> errors = Ranks.run(2, Transport.SHM, Duration.ofMillis(1500), pg -> {
            if (pg.rank() == 1) {
                Thread.sleep(2500); // alive but silent
                return "";
            }
            DistributedTimeoutException e = assertThrows(DistributedTimeoutException.class, () -> pg.allReduce(Tensor.ones(10)));
            return e.getMessage();
        });
        assertTrue(errors.get(0).contains("rank 1"), errors.get(0));
    }

    @Test
    void rendezvousNamesTheRankThatNeverJoined() throws Exception {
        try (TcpStoreServer server = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0)) {
            CompletableFuture<String> rank0 = CompletableFuture.supplyAsync(() -> {
                try (TcpStore store = new TcpStore("127.0.0.1", server.port(), Duration.ofMillis(800))) {
                    ProcessGroup.create(store, "lonely", 0, 3, ProcessGroupOptions.local(Transport.TCP, Duration.ofMillis(800))).close();
                    return "joined?";
                } catch (DistributedTimeoutException e) {
                    return e.getMessage();
                }
            });
            assertTrue(rank0.get(20, TimeUnit.SECONDS).contains("rank 1 did not join"), rank0.get());
        }
    }

    @Test
    void peerFailureCarriesTheRank() {
        PeerFailureException e = new PeerFailureException(4, "m", null);
        assertEquals(4, e.rank());
    }
}
