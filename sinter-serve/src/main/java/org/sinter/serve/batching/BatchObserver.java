package org.sinter.serve.batching;

/** Told about every batch a batcher runs; the server's metrics implement it. */
public interface BatchObserver {
    /**
     * @param queueNanos each request's time from arrival to dispatch
     * @param inputNanos gathering the requests' inputs into one batch
     * @param inferNanos the model's forward
     * @param outputNanos splitting the outputs back into the requests
     */
    void executed(int requests, int batchSize, long[] queueNanos, long inputNanos, long inferNanos, long outputNanos);

    BatchObserver NONE = (r, b, q, i, f, o) -> {};
}
