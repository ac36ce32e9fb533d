package org.sinter.privacy.federated;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A client process's side of the TCP link: connects, says {@code Hello}, then answers each
 * request with {@link FlClient#handle} until the server says {@code Shutdown} or hangs up. A frame
 * it cannot decode is answered with a {@link Message.Failure}, then the client hangs up with the
 * decoding error (the stream may be out of step).
 */
public final class TcpClient {
    private TcpClient() {}

    /** Serves until shutdown; returns the number of requests answered. */
    public static int serve(String host, int port, FlClient client, Duration connectTimeout, Duration idleTimeout) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) idleTimeout.toMillis()); // a server that vanished silently does not hold us forever
            var in = new BufferedInputStream(s.getInputStream());
            var out = new BufferedOutputStream(s.getOutputStream());
            WireFormat.write(out, 0, new Message.Hello(client.id(), client.examples()));
            int answered = 0;
            while (true) {
                WireFormat.Frame f;
                try {
                    f = WireFormat.read(in);
                } catch (WireFormatException e) {
                    // after a bad length the stream is out of step: report and hang up rather than guess
                    WireFormat.write(out, -1, new Message.Failure("client " + client.id() + ": " + e.getMessage()));
                    throw e;
                } catch (EOFException e) {
                    return answered;
                }
                if (f.message() instanceof Message.Shutdown) return answered;
                WireFormat.write(out, f.sequence(), client.handle(f.message()));
                answered++;
            }
        }
    }
}
