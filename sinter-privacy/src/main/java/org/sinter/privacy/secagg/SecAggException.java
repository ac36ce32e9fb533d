package org.sinter.privacy.secagg;

/** A round of secure aggregation cannot finish (too few clients left) or received a message the protocol forbids. */
public final class SecAggException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecAggException(String message) {
        super("secure aggregation: " + message);
    }
}
