package org.sinter.rl.apex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.Generator;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.remote.Frames;
import org.sinter.rl.remote.Placement;
import org.sinter.rl.remote.Wire;

class RemoteReplayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Replay.Batch rows(int from, int n) {
        return ReplayServerTest.rows(from, n);
    }

    private static void assertSameSample(ReplayServer.Sample want, ReplayServer.Sample got) {
        assertArrayEquals(want.shards(), got.shards());
        assertArrayEquals(want.slots(), got.slots());
        assertArrayEquals(want.versions(), got.versions());
        Replay.Batch w = want.batch(), g = got.batch();
        assertArrayEquals(w.weights(), g.weights());
        assertArrayEquals(w.observations(), g.observations());
        assertArrayEquals(w.nextObservations(), g.nextObservations());
        assertArrayEquals(w.actions(), g.actions());
        assertArrayEquals(w.rewards(), g.rewards());
        assertArrayEquals(w.terminated(), g.terminated());
        assertArrayEquals(w.horizons(), g.horizons());
        assertArrayEquals(w.indices(), g.indices());
    }

    /** The same adds, draws and priority updates on both replays, seeded alike, give the same samples. */
    private static void sameOperationsSameSamples(ApexReplay local, ApexReplay remote) {
        RandomGenerator rl = new Generator(7).random(), rr = new Generator(7).random();
        for (int c = 0; c < 9; c++) {
            double[] td = new double[6];
            for (int j = 0; j < td.length; j++) td[j] = Math.sin(7 * c + j) * (c + 1);
            assertEquals(local.add(rows(6 * c, 6), td, c), remote.add(rows(6 * c, 6), td, c));
        }
        assertEquals(local.size(), remote.size());
        assertEquals(local.numShards(), remote.numShards());
        for (int round = 0; round < 5; round++) {
            ReplayServer.Sample want = local.sample(16, rl, 0.4 + 0.1 * round), got = remote.sample(16, rr, 0.4 + 0.1 * round);
            assertSameSample(want, got);
            double[] td = new double[16];
            for (int j = 0; j < td.length; j++) td[j] = Math.cos(round + 3 * j) * 2;
            local.updatePriorities(want, td);
            remote.updatePriorities(got, td);
        }
    }

    @Test
    @Timeout(120) // a hang guard: a JVM starts, on a loaded machine
    void aReplayProcessDrawsWhatTheInProcessReplayDraws() {
        ReplayServer local = new ReplayServer(3, 40, 2, 0.6, 1e-6);
        long pid;
        try (RemoteReplay remote = RemoteReplay.startProcess(3, 40, 2, 0.6, 1e-6, TIMEOUT)) {
            pid = remote.pid();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            sameOperationsSameSamples(local, remote);
            // Another thread gets its own connection to the same replay.
            int[] fromThread = new int[1];
            Thread t = Thread.ofPlatform().start(() -> fromThread[0] = remote.size());
            t.join();
            assertEquals(local.size(), fromThread[0]);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the replay process outlived close()");
    }

    @Test
    @Timeout(120)
    void refusalsNameTheRequestAndKeepTheConnection() throws IOException {
        try (ReplaySocketServer server = new ReplaySocketServer(new ReplayServer(2, 20, 2, 0.6, 1e-6), "tok", 0);
             RemoteReplay remote = RemoteReplay.connect(server.port(), "tok", TIMEOUT)) {
            var empty = assertThrows(IllegalStateException.class, () -> remote.sample(new double[] {0.5}, 0.4));
            assertTrue(empty.getMessage().contains("refused SAMPLE") && empty.getMessage().contains("empty replay"), empty.getMessage());
            remote.add(rows(0, 4), new double[] {1, 2, 3, 4}, 0);
            var badTd = assertThrows(IllegalStateException.class, () -> remote.add(rows(0, 4), new double[] {1}, 0));
            assertTrue(badTd.getMessage().contains("refused ADD") && badTd.getMessage().contains("1 TD errors for 4 rows"), badTd.getMessage());
            var badU = assertThrows(IllegalStateException.class, () -> remote.sample(new double[] {0.5, 1.5}, 0.4));
            assertTrue(badU.getMessage().contains("uniform 1 is 1.5"), badU.getMessage());
            ReplayServer.Sample s = remote.sample(new double[] {0.5}, 0.4);
            var badSlot = assertThrows(IllegalStateException.class,
                    () -> remote.updatePriorities(new ReplayServer.Sample(s.batch(), new int[] {1}, new int[] {7}, s.versions()), new double[] {1}));
            assertTrue(badSlot.getMessage().contains("refused UPDATE") && badSlot.getMessage().contains("shard 1 slot 7"), badSlot.getMessage());
            assertEquals(4, remote.size()); // still connected
        }
    }

    @Test
    void aWrongTokenIsRefused() throws IOException {
        try (ReplaySocketServer server = new ReplaySocketServer(new ReplayServer(1, 8, 2, 0.6, 1e-6), "right", 0)) {
            var e = assertThrows(IllegalStateException.class, () -> RemoteReplay.connect(server.port(), "wrong", TIMEOUT));
            assertTrue(e.getMessage().contains("refused HELLO") && e.getMessage().contains("token"), e.getMessage());
        }
    }

    /** A raw connection that has said hello. */
    private static Socket greeted(int port, String token) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        Frames.write(out, ReplayProtocol.HELLO, o -> {
            o.writeInt(ReplayProtocol.MAGIC);
            o.writeUTF(token);
        });
        assertEquals(ReplayProtocol.READY, Frames.read(new DataInputStream(s.getInputStream()), "test").kind());
        return s;
    }

    @Test
    void badFramesAreAnsweredWithTheirFault() throws IOException {
        try (ReplaySocketServer server = new ReplaySocketServer(new ReplayServer(1, 8, 2, 0.6, 1e-6), "tok", 0)) {
            try (Socket s = greeted(server.port(), "tok")) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                // A body longer than its fields: refused, and the connection stays open (the frame was whole).
                Frames.write(out, ReplayProtocol.SIZE, o -> o.writeInt(42));
                Frames.Frame r = Frames.read(in, "test");
                assertEquals(ReplayProtocol.ERROR, r.kind());
                assertTrue(r.body().readUTF().contains("4 bytes past its fields"));
                // A body shorter than its fields.
                Frames.write(out, ReplayProtocol.SAMPLE, o -> Wire.writeDoubles(o, new double[] {0.5}));
                r = Frames.read(in, "test");
                assertTrue(r.body().readUTF().contains("ends before its fields"));
                // A reply kind sent as a request.
                Frames.write(out, ReplayProtocol.READY, o -> {});
                r = Frames.read(in, "test");
                assertTrue(r.body().readUTF().contains("not a request (READY)"));
                // An impossible length: refused, then the connection is closed (frames are no longer aligned).
                out.writeInt(-5);
                out.flush();
                r = Frames.read(in, "test");
                assertTrue(r.body().readUTF().contains("frame length -5 is outside"));
                assertEquals(null, Frames.read(in, "test"));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                s.setSoTimeout(30_000);
                Frames.write(new DataOutputStream(s.getOutputStream()), ReplayProtocol.SIZE, o -> {});
                Frames.Frame r = Frames.read(new DataInputStream(s.getInputStream()), "test");
                assertTrue(r.body().readUTF().contains("expected HELLO first, got SIZE"));
            }
        }
    }

    /** A fake server on a loopback port that does {@code reply} with each client. */
    private interface Behaviour {
        void with(Socket client) throws IOException, InterruptedException;
    }

    private static ServerSocket fake(Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket c = server.accept()) {
                behaviour.with(c);
            } catch (IOException | InterruptedException ignored) {
                // The test is over.
            }
        });
        return server;
    }

    @Test
    void aClosedPeerATimeoutAndGarbageAreClearErrors() throws IOException {
        try (ServerSocket closer = fake(Socket::close)) {
            var e = assertThrows(IllegalStateException.class, () -> RemoteReplay.connect(closer.getLocalPort(), "t", TIMEOUT));
            assertTrue(e.getMessage().contains("closed the connection instead of answering HELLO"), e.getMessage());
        }
        try (ServerSocket silent = fake(c -> Thread.sleep(10_000))) {
            var e = assertThrows(IllegalStateException.class, () -> RemoteReplay.connect(silent.getLocalPort(), "t", Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("no reply to HELLO within 300 ms"), e.getMessage());
        }
        try (ServerSocket garbage = fake(c -> {
            new DataOutputStream(c.getOutputStream()).writeInt(Frames.MAX_BYTES + 1);
            Thread.sleep(2_000);
        })) {
            var e = assertThrows(java.io.UncheckedIOException.class, () -> RemoteReplay.connect(garbage.getLocalPort(), "t", TIMEOUT));
            assertTrue(e.getMessage().contains("HELLO") && e.getMessage().contains("frame length " + (Frames.MAX_BYTES + 1) + " is outside"), e.getMessage());
        }
        try (ServerSocket wrongKind = fake(c -> {
            Frames.write(new DataOutputStream(c.getOutputStream()), ReplayProtocol.SIZED, o -> o.writeInt(3));
            Thread.sleep(2_000);
        })) {
            var e = assertThrows(IllegalStateException.class, () -> RemoteReplay.connect(wrongKind.getLocalPort(), "t", TIMEOUT));
            assertTrue(e.getMessage().contains("answered HELLO with SIZED, expected READY"), e.getMessage());
        }
    }

    @Test
    @Timeout(120)
    void aDeadReplayProcessIsNamedInTheError() {
        try (RemoteReplay remote = RemoteReplay.startProcess(1, 8, 2, 0.6, 1e-6, TIMEOUT)) {
            ProcessHandle.of(remote.pid()).orElseThrow().destroyForcibly();
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                for (int i = 0; i < 50; i++) { // the kill lands at once, but give the socket a moment to notice
                    remote.size();
                    Thread.sleep(100);
                }
            });
            assertTrue(e.getMessage().contains("replay server") && e.getMessage().contains("pid " + remote.pid()) && e.getMessage().contains("exited"), e.getMessage());
        }
    }

    @Test
    @Timeout(240) // a hang guard for a loaded machine
    void apexWithItsReplayInAProcessRepeatsTheInProcessRun() {
        ApexConfig config = ApexConfig.cartPole(2).withTotalTimesteps(2_000).withLearningStarts(1_000).withEvaluation(2, 1_000);
        Apex local = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 4);
        TrainingResult a = local.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        TrainingResult b;
        Apex remote = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 4, Placement.PROCESSES);
        try (remote) {
            assertTrue(remote.replay() instanceof RemoteReplay);
            b = remote.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        }
        assertEquals(a.episodeReturns(), b.episodeReturns());
        assertEquals(local.counters().updates(), remote.counters().updates());
        assertEquals(local.counters().replaySize(), remote.counters().replaySize());
        local.qNetwork().stateDict().forEach((k, v) -> assertArrayEquals(v.contiguous().toFloatArray(), remote.qNetwork().stateDict().get(k).contiguous().toFloatArray(), k));
    }
}
