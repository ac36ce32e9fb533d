package org.sinter.distributed.store;

import java.time.Duration;
import java.util.List;

/**
 * A key-value store shared by the ranks of a job (PyTorch's {@code c10d::Store}): the rendezvous
 * through which ranks publish their addresses and agree on counters. Every blocking call ends by
 * its timeout with a {@link DistributedTimeoutException} naming what it waited for.
 */
public interface Store extends AutoCloseable {
    void set(String key, byte[] value);

    /** Waits until {@code key} exists (up to the store's timeout), then returns its value. */
    byte[] get(String key);

    /** Atomically adds {@code delta} to the integer under {@code key} (missing = 0); returns the new value. */
    long add(String key, long delta);

    /** Whether all keys exist now, without waiting. */
    boolean check(List<String> keys);

    /** Waits until all keys exist, or fails after {@code timeout}. */
    void waitFor(List<String> keys, Duration timeout);

    Duration timeout();

    @Override
    void close();
}
