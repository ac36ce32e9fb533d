package org.sinter.serve.perf;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The open loop's schedule, whatever carries the requests (HTTP connections, gRPC calls): send times
 * fixed in advance at {@code rate} per second (constant gaps, or exponential ones from the seed), each
 * request started at its time whether or not earlier ones were answered, at most {@code
 * maxOutstanding} unanswered (beyond that the sender waits, and the wait counts), every latency
 * measured from the request's scheduled time so queueing shows (no coordinated omission).
 */
final class OpenLoop {
    private OpenLoop() {}

    /** Starts one request; calls {@code done} exactly once with whether it was answered successfully, on any thread. */
    interface Request {
        void start(Consumer<Boolean> done);
    }

    static LoadGenerator.RateStep run(double rate, LoadGenerator.Arrivals arrivals, long seed, int maxOutstanding, Duration warmup, Duration measure,
                                      long timeoutSeconds, Request request) throws InterruptedException {
        if (!(rate > 0)) throw new IllegalArgumentException("request rate must be > 0, got " + rate);
        if (maxOutstanding < 1) throw new IllegalArgumentException("maxOutstanding must be at least 1, got " + maxOutstanding);
        SplittableRandom rnd = new SplittableRandom(seed);
        double meanGapNanos = 1e9 / rate;
        Semaphore outstanding = new Semaphore(maxOutstanding);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        LoadGenerator.LatencyLog log = new LoadGenerator.LatencyLog((int) Math.min(Integer.MAX_VALUE - 8, (long) (rate * measure.toNanos() / 1e9 * 1.2) + 16));
        AtomicLong failed = new AtomicLong();
        AtomicLong answeredInWindow = new AtomicLong();
        long late = 0;
        long sentInWindow = 0;
        double next = start;
        while (true) {
            long scheduled = (long) next;
            if (scheduled >= end) break;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            outstanding.acquire();
            boolean measured = scheduled >= measureFrom;
            if (measured) {
                sentInWindow++;
                if (System.nanoTime() - scheduled > 1_000_000) late++;
            }
            request.start(ok -> {
                long done = System.nanoTime();
                if (ok && done >= measureFrom && done <= end) answeredInWindow.incrementAndGet();
                if (measured) {
                    if (ok) log.add(done - scheduled);
                    else failed.incrementAndGet();
                }
                outstanding.release(); // last: the step ends once every permit is back, so every answer is recorded by then
            });
            next += arrivals == LoadGenerator.Arrivals.CONSTANT ? meanGapNanos : -Math.log(1 - rnd.nextDouble()) * meanGapNanos;
        }
        // Every request is answered or fails at its timeout: wait until all permits are back.
        if (!outstanding.tryAcquire(maxOutstanding, timeoutSeconds + 5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests still unanswered " + (timeoutSeconds + 5) + " s after the step ended");
        }
        long[] all = log.sorted();
        double seconds = measure.toNanos() / 1e9;
        return new LoadGenerator.RateStep(rate, sentInWindow / seconds, all.length, failed.get(), seconds, answeredInWindow.get() / seconds,
                LoadGenerator.percentile(all, 50), LoadGenerator.percentile(all, 90), LoadGenerator.percentile(all, 95),
                LoadGenerator.percentile(all, 99), late);
    }
}
