package org.sinter.privacy.federated;

import java.io.IOException;
import java.time.Duration;

/** The server's handle on one client, in-process or remote. */
public interface ClientConnection extends AutoCloseable {
    int clientId();

    int examples();

    /**
     * Sends {@code request} and returns the client's reply; throws if none arrives within
     * {@code timeout} ({@link java.net.SocketTimeoutException}) or the link fails.
     */
    Message call(Message request, Duration timeout) throws IOException, InterruptedException;

    @Override
    void close();
}
