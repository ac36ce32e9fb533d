package org.sinter.privacy.federated;

import java.io.IOException;

/** A frame that is not a valid federated-learning message; the message names the field at fault. */
public final class WireFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super("federated wire format: " + message);
    }
}
