package org.sinter.privacy.federated;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The server's side of a client connected over TCP. Each request carries a fresh sequence number;
 * frames with an older number are late replies to requests the server gave up on (stragglers) and
 * are skipped. A read never waits past the call's timeout.
 */
public final class RemoteConnection implements ClientConnection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int clientId, examples;
    private long sequence = 1;

    RemoteConnection(Socket socket, InputStream in, int clientId, int examples) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.clientId = clientId;
        this.examples = examples;
    }

    @Override public int clientId() { return clientId; }

    @Override public int examples() { return examples; }

    @Override
    public synchronized Message call(Message request, Duration timeout) throws IOException {
        long seq = ++sequence;
        WireFormat.write(out, seq, request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) throw new SocketTimeoutException("client " + clientId + " sent no reply to " + request.getClass().getSimpleName() + " within " + timeout.toMillis() + " ms");
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            WireFormat.Frame f = WireFormat.read(in);
            if (f.sequence() == seq) return f.message();
            // an older sequence: a straggler's late reply to a request already abandoned
        }
    }

    /** Tells the client to exit (best effort) and closes the socket. */
    public synchronized void shutdown() {
        try {
            WireFormat.write(out, ++sequence, new Message.Shutdown());
        } catch (IOException ignored) {
            // the client is already gone
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken socket
        }
    }

    /** Reads a client's {@code Hello} on a fresh connection (waiting at most {@code timeout}). */
    static RemoteConnection handshake(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        s.setTcpNoDelay(true);
        var in = new BufferedInputStream(s.getInputStream());
        WireFormat.Frame f = WireFormat.read(in);
        if (!(f.message() instanceof Message.Hello h)) {
            throw new WireFormatException("expected Hello as the first frame, got " + f.message().getClass().getSimpleName());
        }
        if (h.clientId() < 0 || h.examples() < 1) throw new WireFormatException("Hello with client id " + h.clientId() + " and " + h.examples() + " examples");
        return new RemoteConnection(s, in, h.clientId(), h.examples());
    }
}
