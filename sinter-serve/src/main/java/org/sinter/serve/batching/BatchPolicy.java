package org.sinter.serve.batching;

import java.util.ArrayList;
import java.util.List;
import org.sinter.serve.config.DynamicBatching;

/**
 * The dynamic batcher's decision, as a pure function of the queue and the time, so it can be tested
 * without threads or clocks. An idle instance asks it: dispatch this batch now, or wait until then.
 *
 * <p>Rules (Triton's dynamic batcher): the batch starts at the first queued request (highest priority,
 * then oldest) and takes every later request whose per-sample shapes match, while the total stays
 * within the maximum batch size. It goes at once when it is full, or when a preferred size can be
 * formed (the largest such prefix goes); otherwise it waits until the maximum queue delay has passed
 * since the arrival of its oldest request, then goes as it is. Without dynamic batching every request
 * runs alone.
 */
public record BatchPolicy(int maxBatchSize, DynamicBatching settings) {
    /** Either {@code batch} (non-null: dispatch now) or {@code wakeAtNanos} (ask again then). */
    public record Decision(List<InferenceJob> batch, long wakeAtNanos) {
        static Decision dispatch(List<InferenceJob> batch) {
            return new Decision(batch, 0);
        }

        static Decision waitUntil(long nanos) {
            return new Decision(null, nanos);
        }
    }

    /**
     * @param ordered the queue, highest priority first and oldest first within a level; not empty
     * @param flush dispatch whatever can be formed without waiting (the batcher is draining)
     */
    public Decision decide(List<InferenceJob> ordered, long nowNanos, boolean flush) {
        InferenceJob head = ordered.getFirst();
        if (settings == null || maxBatchSize == 0) return Decision.dispatch(List.of(head));
        List<InferenceJob> batch = new ArrayList<>();
        int size = 0;
        long oldest = Long.MAX_VALUE;
        for (InferenceJob j : ordered) {
            if (size == maxBatchSize) break;
            if (!j.compatibleWith(head) || size + j.batchSize > maxBatchSize) continue;
            batch.add(j);
            size += j.batchSize;
            oldest = Math.min(oldest, j.arrivalNanos);
        }
        if (size == maxBatchSize || flush) return Decision.dispatch(batch);
        List<Integer> preferred = settings.preferredBatchSizes();
        if (!preferred.isEmpty()) {
            int prefix = 0, best = -1;
            for (int i = 0; i < batch.size(); i++) {
                prefix += batch.get(i).batchSize;
                if (preferred.contains(prefix)) best = i + 1;
            }
            if (best > 0) return Decision.dispatch(batch.subList(0, best));
        }
        long due = oldest + settings.maxQueueDelayMicros() * 1000;
        if (nowNanos - due >= 0) return Decision.dispatch(batch);
        return Decision.waitUntil(due);
    }
}
