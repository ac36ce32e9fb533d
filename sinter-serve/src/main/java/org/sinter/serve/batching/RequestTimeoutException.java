package org.sinter.serve.batching;

/** A request that waited in its model's queue past its timeout and was dropped without running. */
public final class RequestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }
}
