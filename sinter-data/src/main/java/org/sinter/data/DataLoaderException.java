package org.sinter.data;

/**
 * A sample failed to load or a batch failed to collate, in a worker or in the consumer thread.
 * The message and {@link #sampleIndex()} name the dataset index that failed; the cause is the
 * original exception, with the stack trace of the thread that threw it.
 */
public final class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int sampleIndex;
    private final int batchIndex;

    public DataLoaderException(String message, int sampleIndex, int batchIndex, Throwable cause) {
        super(message, cause);
        this.sampleIndex = sampleIndex;
        this.batchIndex = batchIndex;
    }

    /** The dataset index whose {@code get} failed, or -1 when collating the batch failed. */
    public int sampleIndex() {
        return sampleIndex;
    }

    /** The position of the failed batch in the epoch (0-based). */
    public int batchIndex() {
        return batchIndex;
    }
}
