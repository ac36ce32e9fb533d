package org.sinter.serve.batching;

/** A request refused because its model's queue holds {@code max_queue_size} requests (HTTP 429). */
public final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
