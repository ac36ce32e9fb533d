package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sinter.distributed.store.DistributedTimeoutException;
import org.sinter.distributed.store.PrefixStore;
import org.sinter.distributed.store.TcpStore;
import org.sinter.distributed.store.TcpStoreServer;

/** The TCP store: semantics, timeouts, and wire compatibility with PyTorch's TCPStore both ways. */
class StoreTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void setGetAddCheckWaitAndPrefixes() throws Exception {
        try (TcpStoreServer server = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0);
             TcpStore a = new TcpStore("127.0.0.1", server.port(), Duration.ofSeconds(5));
             TcpStore b = new TcpStore("127.0.0.1", server.port(), Duration.ofSeconds(5))) {
            CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() -> b.get("late"));
            Thread.sleep(50);
            assertFalse(waiting.isDone());
            a.set("late", "v".getBytes(StandardCharsets.UTF_8));
            assertEquals("v", new String(waiting.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            assertEquals(3, a.add("n", 3));
            assertEquals(1, b.add("n", -2));
            assertEquals("1", new String(a.get("n"), StandardCharsets.US_ASCII));
            assertTrue(a.check(List.of("late", "n")));
            assertFalse(a.check(List.of("late", "missing")));
            PrefixStore p = new PrefixStore("job", a);
            p.set("k", new byte[] {7});
            assertArrayEquals(new byte[] {7}, b.get("job/k"));
        }
    }

    @Test
    void waitingForAMissingKeyTimesOutNamingTheKey() {
        try (TcpStoreServer server = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0);
             TcpStore a = new TcpStore("127.0.0.1", server.port(), Duration.ofMillis(300))) {
            DistributedTimeoutException e = assertThrows(DistributedTimeoutException.class, () -> a.get("addr/3"));
            assertTrue(e.getMessage().contains("addr/3"), e.getMessage());
            // The client reconnects after a timed-out wait.
            a.set("x", new byte[] {1});
            assertArrayEquals(new byte[] {1}, a.get("x"));
        }
    }

    @Test
    void connectingToNothingTimesOut() {
        DistributedTimeoutException e = assertThrows(DistributedTimeoutException.class, () -> new TcpStore("127.0.0.1", 1, Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    @Test
    void garbageFromOneClientDoesNotHurtTheServer() throws Exception {
        try (TcpStoreServer server = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0);
             TcpStore a = new TcpStore("127.0.0.1", server.port(), Duration.ofSeconds(5))) {
            try (var s = new java.net.Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(new byte[] {42, 1, 2, 3});
                s.getOutputStream().flush();
                assertEquals(-1, s.getInputStream().read()); // the server closes that connection
            }
            a.set("ok", new byte[] {1});
            assertArrayEquals(new byte[] {1}, a.get("ok"));
        }
    }

    // PyTorch's TCPStore client puts "/" before every key on the wire.
    @Test
    void pytorchClientsTalkToSintersServer() throws Exception {
        assumeTrue(pythonWithTorch(), "needs /usr/bin/python3 with torch");
        try (TcpStoreServer server = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0);
             TcpStore a = new TcpStore("127.0.0.1", server.port(), Duration.ofSeconds(30))) {
            a.set("/from-java", "hello".getBytes(StandardCharsets.UTF_8));
            assertTrue(python("""
                    import datetime, torch.distributed as dist
                    s = dist.TCPStore("127.0.0.1", %d, 2, False, datetime.timedelta(seconds=20), wait_for_workers=False)
                    assert s.get("from-java") == b"hello", s.get("from-java")
                    s.set("from-python", "world")
                    assert s.add("ctr", 5) == 5
                    """.formatted(server.port())));
            assertEquals("world", new String(a.get("/from-python"), StandardCharsets.UTF_8));
            assertEquals(7, a.add("/ctr", 2));
        }
    }

    @Test
    void sintersClientTalksToPytorchsServer() throws Exception {
        assumeTrue(pythonWithTorch(), "needs /usr/bin/python3 with torch");
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process py = new ProcessBuilder(PYTHON.toString(), "-c", """
                import datetime, time, torch.distributed as dist
                s = dist.TCPStore("127.0.0.1", %d, 2, True, datetime.timedelta(seconds=20), wait_for_workers=False)
                s.set("from-python", "hi")
                s.wait(["from-java"])
                assert s.get("from-java") == b"abc"
                s.set("done", "1")
                time.sleep(1)
                """.formatted(port)).inheritIO().start();
        try (TcpStore a = new TcpStore("127.0.0.1", port, Duration.ofSeconds(20))) {
            assertEquals("hi", new String(a.get("/from-python"), StandardCharsets.UTF_8));
            a.set("/from-java", "abc".getBytes(StandardCharsets.UTF_8));
            assertEquals("1", new String(a.get("/done"), StandardCharsets.UTF_8));
        } finally {
            assertTrue(py.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, py.exitValue());
    }

    private static Boolean torchAvailable;

    static synchronized boolean pythonWithTorch() throws IOException, InterruptedException {
        if (torchAvailable == null) torchAvailable = Files.isExecutable(PYTHON) && python("import torch.distributed");
        return torchAvailable;
    }

    static boolean python(String code) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", code).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
