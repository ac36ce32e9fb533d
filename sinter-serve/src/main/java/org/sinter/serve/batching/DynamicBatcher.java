package org.sinter.serve.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.sinter.Tensor;
import org.sinter.serve.config.DynamicBatching;
import org.sinter.serve.runtime.ModelRunner;

/**
 * The scheduler of one model version: a priority queue of requests and one worker thread per model
 * instance. An idle worker asks the {@link BatchPolicy} for a batch, concatenates its requests' inputs
 * along the batch dimension, runs its instance and hands each request its slice of the outputs. While
 * every instance is busy the queue grows, so batches grow with load.
 */
public final class DynamicBatcher implements AutoCloseable {
    /**
     * Fails requests whose queue timeout passes while every instance is busy (an idle worker would
     * notice by itself, a busy one not until its batch ends). One daemon thread for all batchers.
     */
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("sinter-serve queue timeouts").daemon().unstarted(r));

    private final String name;
    private final List<ModelRunner> instances;
    private final int maxBatchSize;
    private final DynamicBatching settings;
    private final BatchPolicy policy;
    private final BatchObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** One FIFO per priority level, index 0 for level 1 (the highest). */
    private final List<ArrayDeque<InferenceJob>> queues = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private int queued;
    /** Samples in the queued requests (their batch dimensions summed). */
    private int queuedSamples;
    private boolean closing;

    /**
     * @param name for errors and thread names ("model/version")
     * @param settings null: no dynamic batching, every request runs alone
     */
    public DynamicBatcher(String name, List<ModelRunner> instances, int maxBatchSize, DynamicBatching settings, BatchObserver observer) {
        if (instances.isEmpty()) throw new IllegalArgumentException(name + ": a batcher needs at least one instance");
        this.name = name;
        this.instances = List.copyOf(instances);
        this.maxBatchSize = maxBatchSize;
        this.settings = settings;
        this.policy = new BatchPolicy(maxBatchSize, settings);
        this.observer = observer;
        int levels = settings == null ? 1 : settings.levels();
        for (int i = 0; i < levels; i++) queues.add(new ArrayDeque<>());
        for (int i = 0; i < this.instances.size(); i++) {
            ModelRunner runner = this.instances.get(i);
            workers.add(Thread.ofPlatform().name("sinter-serve " + name + " instance " + i).daemon().start(() -> work(runner)));
        }
    }

    /** Priority levels requests may name (1 is the highest). */
    public int priorityLevels() {
        return queues.size();
    }

    /**
     * Queues a request.
     *
     * @param inputs the request's tensors in config order, with a leading batch dimension when the model batches
     * @param priorityLevel 1 (highest) to {@link #priorityLevels()}, or 0 for the configured default
     * @param timeoutMicros how long it may wait in the queue, or 0 for the configured default
     * @throws QueueFullException when the queue holds {@code max_queue_size} requests
     * @throws ModelUnavailableException when the batcher is closing
     */
    public CompletableFuture<Tensor[]> submit(Tensor[] inputs, int priorityLevel, long timeoutMicros) {
        int level = priorityLevel == 0 ? (settings == null ? 1 : settings.defaultPriorityLevel()) : priorityLevel;
        if (level < 1 || level > queues.size()) {
            throw new IllegalArgumentException("parameters.priority must be in [1, " + queues.size() + "] for " + name + ", got " + priorityLevel);
        }
        long timeout = timeoutMicros > 0 ? timeoutMicros : settings == null ? 0 : settings.defaultTimeoutMicros();
        long now = System.nanoTime();
        int batch = maxBatchSize > 0 ? inputs[0].shape()[0] : 1;
        InferenceJob job = new InferenceJob(inputs, batch, level, now,
                timeout > 0 ? now + TimeUnit.MICROSECONDS.toNanos(timeout) : Long.MAX_VALUE, maxBatchSize > 0, padding());
        lock.lock();
        try {
            if (closing) throw new ModelUnavailableException(name + " is unloading");
            int limit = settings == null ? 0 : settings.maxQueueSize();
            if (limit > 0 && queued >= limit) {
                throw new QueueFullException(name + ": the queue is full (max_queue_size " + limit + " requests waiting); retry later");
            }
            queues.get(level - 1).addLast(job);
            queued++;
            queuedSamples += batch;
            if (queued == 1 || mayCompleteBatch()) changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (timeout > 0) TIMEOUTS.schedule(() -> expireIfQueued(job), timeout, TimeUnit.MICROSECONDS);
        return job.result;
    }

    /**
     * Whether the queue may now hold a batch to dispatch before the wait an idle worker is in ends:
     * a full batch or a preferred size. Otherwise an arrival into a non-empty queue leaves the workers
     * be — a worker waiting on the queue delay wakes by itself when it ends. Waking it for every
     * arrival cost a context switch per request (microseconds each on a busy 2-core machine).
     */
    private boolean mayCompleteBatch() {
        if (settings == null) return false;  // a worker waits only on an empty queue then
        if (queuedSamples >= maxBatchSize) return true;
        for (int p : settings.preferredBatchSizes()) if (queuedSamples >= p) return true;
        return false;
    }

    private boolean padding() {
        return maxBatchSize > 0 && settings != null && settings.padVariableLengthInputs();
    }

    /**
     * The parts (one request's input each, [n, ...] of one rank) padded at the end of every
     * non-batch dimension to the largest size among them, with {@code value}; parts already that
     * size are kept as they are.
     */
    static List<Tensor> padToLargest(List<Tensor> parts, double value) {
        int[] largest = parts.getFirst().shape();
        for (Tensor t : parts) for (int d = 1; d < largest.length; d++) largest[d] = Math.max(largest[d], t.shape()[d]);
        List<Tensor> out = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            int[] s = t.shape();
            int[] pad = new int[2 * (s.length - 1)];  // last dimension first, (before, after) pairs, as F.pad
            boolean any = false;
            for (int d = s.length - 1; d >= 1; d--) {
                int after = largest[d] - s[d];
                pad[2 * (s.length - 1 - d) + 1] = after;
                any |= after > 0;
            }
            out.add(any ? t.pad(pad, "constant", value) : t);
        }
        return out;
    }

    /** Requests waiting (not yet dispatched). */
    public int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking requests, runs those already queued, and waits for the workers to finish. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        joinAll(workers);
    }

    /** Waits for every thread to end; stops waiting, interrupted again, when interrupted. */
    private static void joinAll(Iterable<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work(ModelRunner runner) {
        // The threads answering this worker's batches: close() returns once they are done as well.
        ArrayDeque<Thread> answering = new ArrayDeque<>();
        while (true) {
            List<InferenceJob> batch = next();
            if (batch == null) break;
            Thread t = execute(runner, batch);
            if (t != null) answering.addLast(t);
            while (!answering.isEmpty() && !answering.peekFirst().isAlive()) answering.removeFirst();
        }
        joinAll(answering);
    }

    /** Waits for the policy to hand out a batch; null once closing and drained. */
    private List<InferenceJob> next() {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                long earliestDeadline = expire(now);
                if (queued == 0) {
                    if (closing) return null;
                    changed.awaitUninterruptibly();
                    continue;
                }
                BatchPolicy.Decision d = policy.decide(ordered(), now, closing);
                if (d.batch() != null) {
                    List<InferenceJob> batch = List.copyOf(d.batch());
                    for (InferenceJob j : batch) {
                        queues.get(j.priorityLevel - 1).remove(j);
                        queuedSamples -= j.batchSize;
                    }
                    queued -= batch.size();
                    if (queued > 0) changed.signal(); // another idle worker may take what is left
                    return batch;
                }
                long wake = Math.min(d.wakeAtNanos() - now, earliestDeadline - now);
                if (wake > 0) changed.awaitNanos(wake);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void expireIfQueued(InferenceJob job) {
        lock.lock();
        try {
            if (queues.get(job.priorityLevel - 1).remove(job)) {
                queued--;
                queuedSamples -= job.batchSize;
                timedOut(job, System.nanoTime());
            }
        } finally {
            lock.unlock();
        }
    }

    private void timedOut(InferenceJob j, long now) {
        j.result.completeExceptionally(new RequestTimeoutException(name + ": the request waited "
                + TimeUnit.NANOSECONDS.toMicros(now - j.arrivalNanos) + " us in the queue, past its timeout"));
    }

    /** Fails queued requests whose deadline has passed; returns the earliest remaining deadline. */
    private long expire(long now) {
        long earliest = Long.MAX_VALUE;
        for (ArrayDeque<InferenceJob> q : queues) {
            for (var it = q.iterator(); it.hasNext(); ) {
                InferenceJob j = it.next();
                if (j.deadlineNanos != Long.MAX_VALUE && now - j.deadlineNanos >= 0) {
                    it.remove();
                    queued--;
                    queuedSamples -= j.batchSize;
                    timedOut(j, now);
                } else if (j.deadlineNanos != Long.MAX_VALUE) {
                    earliest = Math.min(earliest, j.deadlineNanos);
                }
            }
        }
        return earliest;
    }

    private List<InferenceJob> ordered() {
        List<InferenceJob> all = new ArrayList<>(queued);
        for (ArrayDeque<InferenceJob> q : queues) all.addAll(q);
        return all;
    }

    /** Runs a batch; returns the thread that answers its requests, or null when they failed here. */
    private Thread execute(ModelRunner runner, List<InferenceJob> batch) {
        long dispatched = System.nanoTime();
        long[] queueNanos = new long[batch.size()];
        int total = 0;
        for (int i = 0; i < batch.size(); i++) {
            queueNanos[i] = dispatched - batch.get(i).arrivalNanos;
            total += batch.get(i).batchSize;
        }
        try {
            int nIn = batch.getFirst().inputs.length;
            Tensor[] in = new Tensor[nIn];
            for (int k = 0; k < nIn; k++) {
                if (batch.size() == 1) {
                    in[k] = batch.getFirst().inputs[k];
                } else {
                    List<Tensor> parts = new ArrayList<>(batch.size());
                    for (InferenceJob j : batch) parts.add(j.inputs[k]);
                    in[k] = Tensor.cat(padding() ? padToLargest(parts, settings.padValue()) : parts, 0);
                }
            }
            long gathered = System.nanoTime();
            Tensor[] out = runner.run(in);
            long ran = System.nanoTime();
            if (maxBatchSize > 0) {
                for (int o = 0; o < out.length; o++) {
                    if (out[o].dim() == 0 || out[o].shape()[0] != total) {
                        throw new IllegalStateException(name + ": output " + o + " has shape " + java.util.Arrays.toString(out[o].shape())
                                + ", expected a leading batch dimension of " + total);
                    }
                }
            }
            Tensor[][] mine = new Tensor[batch.size()][];
            if (batch.size() == 1) {
                mine[0] = out;
            } else {
                int offset = 0;
                for (int i = 0; i < batch.size(); i++) {
                    int n = batch.get(i).batchSize;
                    mine[i] = new Tensor[out.length];
                    for (int o = 0; o < out.length; o++) mine[i][o] = out[o].narrow(0, offset, n).contiguous();
                    offset += n;
                }
            }
            long split = System.nanoTime();
            // Counted before any request is answered: a client that reads the metrics after its answer sees its batch.
            observer.executed(batch.size(), total, queueNanos, gathered - dispatched, ran - gathered, split - ran);
            // Completing a future runs what waits on it: the HTTP front end writes the answer there, and
            // a blocked caller's wake-up can preempt the waker on a busy core. Done here, one per request,
            // that held the instance (and so the next batch) for tens of microseconds per request. One
            // virtual thread completes them all instead — for a batch of one as well, so that a model
            // without batching keeps its instance as free for the forward as one with.
            return Thread.startVirtualThread(() -> {
                for (int i = 0; i < batch.size(); i++) batch.get(i).result.complete(mine[i]);
            });
        } catch (RuntimeException | Error e) {
            for (InferenceJob j : batch) j.result.completeExceptionally(e);
            return null;
        }
    }
}
