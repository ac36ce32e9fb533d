package org.sinter.rl.remote;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A server socket on the loopback address whose every connection is handled on a daemon thread of
 * its own; closing it closes the listening socket and every open connection. The module's servers
 * ({@link EnvServer}, Ape-X's replay server) are built on it.
 */
public final class LoopbackServer implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

    /** Listens on {@code port} (0: any free one) and hands each connection to {@code handler}, which may leave closing it to this server. */
    public LoopbackServer(int port, String name, Consumer<Socket> handler) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name(name + "-accept").start(() -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                clients.add(client);
                Thread.ofPlatform().daemon().name(name + "-client").start(() -> {
                    try (client) {
                        handler.accept(client);
                    } catch (IOException ignored) {
                        // Closing a connection that is already gone.
                    } finally {
                        clients.remove(client);
                    }
                });
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket c : clients) c.close();
    }
}
