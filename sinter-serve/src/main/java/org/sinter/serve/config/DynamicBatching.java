package org.sinter.serve.config;

import java.util.List;

/**
 * The dynamic batcher's settings (Triton's {@code dynamic_batching} block).
 *
 * @param maxQueueDelayMicros how long a batch may wait for more requests, from its first request's arrival
 * @param preferredBatchSizes sizes dispatched as soon as they can be formed (empty: as large as possible)
 * @param maxQueueSize requests waiting beyond this are rejected (HTTP 429); 0 means no limit
 * @param defaultTimeoutMicros a request still queued after this long fails (0: never); a request's
 *        {@code timeout} parameter overrides it
 * @param priorityLevels number of priority levels (1 is the highest); 0 means one level
 * @param defaultPriorityLevel the level of a request that names none
 * @param padVariableLengthInputs requests whose inputs differ in a variable ({@code -1}) dimension
 *        batch together, each input padded to the batch's largest size with {@code padValue}
 *        (TensorFlow Serving's {@code pad_variable_length_inputs}); without it they wait for
 *        requests of their own shape
 * @param padValue what padding fills in
 */
public record DynamicBatching(long maxQueueDelayMicros, List<Integer> preferredBatchSizes, int maxQueueSize,
                              long defaultTimeoutMicros, int priorityLevels, int defaultPriorityLevel,
                              boolean padVariableLengthInputs, double padValue) {
    /** Settings without padding. */
    public DynamicBatching(long maxQueueDelayMicros, List<Integer> preferredBatchSizes, int maxQueueSize, long defaultTimeoutMicros,
                           int priorityLevels, int defaultPriorityLevel) {
        this(maxQueueDelayMicros, preferredBatchSizes, maxQueueSize, defaultTimeoutMicros, priorityLevels, defaultPriorityLevel, false, 0);
    }

    public DynamicBatching {
        preferredBatchSizes = List.copyOf(preferredBatchSizes);
        if (maxQueueDelayMicros < 0) throw new IllegalArgumentException("dynamic_batching.max_queue_delay_microseconds must be >= 0");
        if (maxQueueSize < 0) throw new IllegalArgumentException("dynamic_batching.max_queue_size must be >= 0");
        if (defaultTimeoutMicros < 0) throw new IllegalArgumentException("dynamic_batching.default_timeout_microseconds must be >= 0");
        if (priorityLevels < 0) throw new IllegalArgumentException("dynamic_batching.priority_levels must be >= 0");
        int levels = Math.max(1, priorityLevels);
        if (defaultPriorityLevel < 1 || defaultPriorityLevel > levels) {
            throw new IllegalArgumentException("dynamic_batching.default_priority_level must be in [1, " + levels + "], got " + defaultPriorityLevel);
        }
        if (!Double.isFinite(padValue)) throw new IllegalArgumentException("dynamic_batching.pad_value must be a finite number, got " + padValue);
    }

    /** The number of levels, at least one. */
    public int levels() {
        return Math.max(1, priorityLevels);
    }

    /** Settings with no delay, no preferred sizes, no limits: batches form only while every instance is busy. */
    public static DynamicBatching immediate() {
        return new DynamicBatching(0, List.of(), 0, 0, 0, 1);
    }
}
