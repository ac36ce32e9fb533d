package org.sinter.privacy.federated;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(300) // a hang guard, not a speed check
class TcpTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void clientProcessesOverTcpGiveBitForBitTheInProcessResult() throws Exception {
        var o = new FlOptions("blobs", 4, 3, "dirichlet:0.5", LocalTraining.fedAvg(2, 16, 0.1),
                FlConfig.of(3).withSecure(true).withSeed(5).withTimeout(Duration.ofSeconds(60)), new Faults(0.25, 0, 0, 5), 5, 1);
        var simulated = Federated.simulate(o, s -> {});

        var port = new CompletableFuture<Integer>();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        var server = Executors.newSingleThreadExecutor().submit(() -> Federated.serve(o, LOOPBACK, 0, Duration.ofSeconds(120), port::complete, log::add));
        int p = port.get(60, TimeUnit.SECONDS);
        List<Process> clients = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), FlArgs.class.getName(),
                    "id=" + id, "host=127.0.0.1", "port=" + p, "idleTimeoutMs=120000"));
            cmd.addAll(FlArgs.toArgs(o));
            clients.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        Federated.History remote;
        try {
            remote = server.get(240, TimeUnit.SECONDS);
        } finally {
            for (Process c : clients) if (!c.waitFor(30, TimeUnit.SECONDS)) c.destroyForcibly();
        }
        for (Process c : clients) assertEquals(0, c.exitValue(), "a client process exited with an error");
        assertArrayEquals(simulated.parameters(), remote.parameters(), "TCP and in-process runs disagree; log: " + log);
        for (int r = 0; r < 3; r++) assertEquals(simulated.rounds().get(r).aggregated(), remote.rounds().get(r).aggregated());
    }

    @Test
    void theServerRejectsGarbageAndDuplicateIdsAndKeepsAccepting() throws Exception {
        try (var listener = new ServerSocket(0, 16, LOOPBACK)) {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            var accepted = Executors.newSingleThreadExecutor().submit(() -> TcpRegistry.accept(listener, 2, Duration.ofSeconds(60), log::add));
            int port = listener.getLocalPort();
            try (var http = new Socket(LOOPBACK, port)) {
                http.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                http.getOutputStream().flush();
                assertEquals(-1, http.getInputStream().read(), "the server hangs up on a non-frame");
            }
            var a = new Socket(LOOPBACK, port);
            WireFormat.write(a.getOutputStream(), 0, new Message.Hello(1, 10));
            var dup = new Socket(LOOPBACK, port);
            WireFormat.write(dup.getOutputStream(), 0, new Message.Hello(1, 10));
            assertEquals(-1, dup.getInputStream().read(), "a second client 1 is refused");
            var notHello = new Socket(LOOPBACK, port);
            WireFormat.write(notHello.getOutputStream(), 0, new Message.Silence());
            assertEquals(-1, notHello.getInputStream().read());
            var b = new Socket(LOOPBACK, port);
            WireFormat.write(b.getOutputStream(), 0, new Message.Hello(2, 20));
            var conns = accepted.get(60, TimeUnit.SECONDS);
            assertEquals(List.of(1, 2), conns.stream().map(RemoteConnection::clientId).toList());
            assertEquals(3, log.size(), log.toString());
            assertTrue(log.get(0).contains("bad magic") || log.get(0).contains("frame length"), log.get(0));
            assertTrue(log.get(1).contains("second connection claiming client id 1"), log.get(1));
            assertTrue(log.get(2).contains("expected Hello"), log.get(2));

            // a connected client that answers with garbage: the call fails with the decoding error
            var out = new DataOutputStream(a.getOutputStream());
            var c1 = conns.get(0);
            var call = Executors.newSingleThreadExecutor().submit(() -> c1.call(new Message.Silence(), Duration.ofSeconds(30)));
            WireFormat.read(a.getInputStream()); // the request
            out.writeInt(20);
            out.write(new byte[20]);
            out.flush();
            var e = assertThrows(ExecutionException.class, () -> call.get(60, TimeUnit.SECONDS));
            assertInstanceOf(WireFormatException.class, e.getCause());
            // and one that never answers: the call gives up at its timeout instead of hanging
            var c2 = conns.get(1);
            assertThrows(SocketTimeoutException.class, () -> c2.call(new Message.Silence(), Duration.ofMillis(300)));
            a.close();
            b.close();
            conns.forEach(RemoteConnection::close);
        }
    }

    @Test
    void acceptGivesUpAtItsDeadline() throws IOException {
        try (var listener = new ServerSocket(0, 16, LOOPBACK)) {
            var e = assertThrows(SocketTimeoutException.class, () -> TcpRegistry.accept(listener, 3, Duration.ofMillis(500), s -> {}));
            assertTrue(e.getMessage().contains("0 of 3 clients"), e.getMessage());
        }
    }
}
