package org.sinter.serve.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.serve.config.DynamicBatching;

/** The batch decision on a fake clock: what goes, and when the batcher must ask again. */
class BatchPolicyTest {
    private static final long US = 1000;

    private static InferenceJob job(int size, long arrivalUs) {
        return InferenceJob.forPolicy(size, 0, 1, arrivalUs * US, Long.MAX_VALUE);
    }

    private static int total(List<InferenceJob> batch) {
        return batch.stream().mapToInt(j -> j.batchSize).sum();
    }

    private static DynamicBatching delay(long us, Integer... preferred) {
        return new DynamicBatching(us, List.of(preferred), 0, 0, 0, 1);
    }

    @Test
    void withoutDynamicBatchingEachRequestRunsAlone() {
        BatchPolicy p = new BatchPolicy(8, null);
        InferenceJob a = job(1, 0), b = job(1, 0);
        BatchPolicy.Decision d = p.decide(List.of(a, b), 0, false);
        assertEquals(List.of(a), d.batch());
    }

    @Test
    void waitsForTheDelayFromTheFirstArrivalThenSendsWhatItHas() {
        BatchPolicy p = new BatchPolicy(8, delay(500));
        List<InferenceJob> q = List.of(job(1, 100), job(2, 300));
        BatchPolicy.Decision d = p.decide(q, 400 * US, false);
        assertNull(d.batch());
        assertEquals(600 * US, d.wakeAtNanos(), "the delay counts from the first request's arrival, not the last");
        d = p.decide(q, 600 * US, false);
        assertEquals(q, d.batch());
    }

    @Test
    void aFullBatchGoesAtOnceAndLeavesTheRest() {
        BatchPolicy p = new BatchPolicy(4, delay(1_000_000));
        List<InferenceJob> q = List.of(job(2, 0), job(1, 1), job(2, 2), job(1, 3));
        BatchPolicy.Decision d = p.decide(q, 5 * US, false);
        // 2 + 1 fits, the next 2 would overflow 4 and is skipped, the last 1 fills the batch
        assertEquals(List.of(q.get(0), q.get(1), q.get(3)), d.batch());
        assertEquals(4, total(d.batch()));
    }

    @Test
    void thePreferredSizeGoesWithoutWaiting() {
        BatchPolicy p = new BatchPolicy(16, delay(1_000_000, 4, 8));
        List<InferenceJob> q = List.of(job(1, 0), job(1, 0), job(1, 0), job(1, 0), job(1, 0), job(1, 0));
        BatchPolicy.Decision d = p.decide(q, 1 * US, false);
        assertEquals(4, total(d.batch()), "six queued, preferred {4, 8}: the largest preferred size that can be formed goes now");
        BatchPolicy.Decision small = p.decide(q.subList(0, 3), 1 * US, false);
        assertNull(small.batch(), "three queued: no preferred size yet, wait");
    }

    @Test
    void onlyCompatibleShapesShareABatch() {
        BatchPolicy p = new BatchPolicy(8, delay(0));
        InferenceJob a = InferenceJob.forPolicy(1, 28, 1, 0, Long.MAX_VALUE);
        InferenceJob b = InferenceJob.forPolicy(1, 32, 1, 0, Long.MAX_VALUE);
        InferenceJob c = InferenceJob.forPolicy(1, 28, 1, 0, Long.MAX_VALUE);
        assertEquals(List.of(a, c), p.decide(List.of(a, b, c), 0, false).batch());
        assertEquals(List.of(b), p.decide(List.of(b, c), 0, false).batch());
    }

    @Test
    void flushSendsWithoutWaiting() {
        BatchPolicy p = new BatchPolicy(8, delay(1_000_000));
        List<InferenceJob> q = List.of(job(1, 0));
        assertNull(p.decide(q, 0, false).batch());
        assertSame(q.getFirst(), p.decide(q, 0, true).batch().getFirst());
    }
}
