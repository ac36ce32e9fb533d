package org.sinter.serve.repository;

import org.sinter.serve.batching.DynamicBatcher;
import org.sinter.serve.config.ModelConfig;

/** One served version of a model: its config and the batcher that runs its instances. */
public record LoadedVersion(String name, long version, ModelConfig config, DynamicBatcher batcher) implements AutoCloseable {
    /** Finishes the queued requests and stops the instances. */
    @Override
    public void close() {
        batcher.close();
    }
}
