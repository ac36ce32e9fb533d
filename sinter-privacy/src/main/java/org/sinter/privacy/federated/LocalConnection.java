package org.sinter.privacy.federated;

import java.time.Duration;

/**
 * An in-process client, called on the server's own worker thread. Requests and replies still go
 * through {@link WireFormat}'s bytes, so a simulation exercises exactly what crosses a socket.
 * The server enforces the timeout (it abandons the call and interrupts the thread).
 */
public final class LocalConnection implements ClientConnection {
    private final FlClient client;

    public LocalConnection(FlClient client) {
        this.client = client;
    }

    @Override public int clientId() { return client.id(); }

    @Override public int examples() { return client.examples(); }

    @Override
    public Message call(Message request, Duration timeout) throws WireFormatException {
        Message in = WireFormat.decode(WireFormat.encode(0, request)).message();
        Message reply = client.handle(in);
        return WireFormat.decode(WireFormat.encode(0, reply)).message();
    }

    @Override
    public void close() {}
}
