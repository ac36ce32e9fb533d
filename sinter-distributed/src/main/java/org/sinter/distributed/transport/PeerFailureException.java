package org.sinter.distributed.transport;

/** A peer rank closed its connection, died, or reported an error; {@link #rank()} names it. */
public final class PeerFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int rank;

    public PeerFailureException(int rank, String message, Throwable cause) {
        super(message, cause);
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }
}
