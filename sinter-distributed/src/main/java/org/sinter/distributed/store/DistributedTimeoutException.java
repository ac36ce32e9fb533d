package org.sinter.distributed.store;

/** A blocking distributed call (store wait, collective, rendezvous) ran past its timeout. */
public final class DistributedTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DistributedTimeoutException(String message) {
        super(message);
    }
}
