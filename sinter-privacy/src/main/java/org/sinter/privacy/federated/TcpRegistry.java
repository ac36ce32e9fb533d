package org.sinter.privacy.federated;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The server's listening side: accepts connections until the expected number of clients has said
 * {@code Hello}, rejecting (and logging) connections whose first frame is not a valid Hello or
 * repeats a client id. Never waits past its deadline.
 */
public final class TcpRegistry {
    private TcpRegistry() {}

    public static List<RemoteConnection> accept(ServerSocket listener, int expected, Duration deadline, Consumer<String> log) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        List<RemoteConnection> clients = new ArrayList<>();
        var ids = new HashSet<Integer>();
        while (clients.size() < expected) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                clients.forEach(RemoteConnection::shutdown);
                throw new SocketTimeoutException("federated server: " + clients.size() + " of " + expected + " clients connected within " + deadline.toSeconds() + " s");
            }
            listener.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            Socket s;
            try {
                s = listener.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            try {
                RemoteConnection c = RemoteConnection.handshake(s, Duration.ofMillis(Math.min(left, 10_000)));
                if (!ids.add(c.clientId())) {
                    log.accept("rejected a second connection claiming client id " + c.clientId() + " from " + s.getRemoteSocketAddress());
                    c.close();
                    continue;
                }
                clients.add(c);
            } catch (IOException e) {
                log.accept("rejected connection from " + s.getRemoteSocketAddress() + ": " + e.getMessage());
                s.close();
            }
        }
        return clients;
    }
}
