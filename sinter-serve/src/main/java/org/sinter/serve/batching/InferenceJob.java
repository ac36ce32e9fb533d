package org.sinter.serve.batching;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.sinter.Tensor;

/**
 * One request waiting in a batcher: its input tensors (in the config's input order), how many samples
 * it carries, its priority level and deadline, and the future its caller waits on.
 */
public final class InferenceJob {
    final Tensor[] inputs;
    /** Samples in this request: the inputs' leading dimension (1 for a model without batching). */
    final int batchSize;
    /** 1 is the highest. */
    final int priorityLevel;
    final long arrivalNanos;
    /** When the request gives up waiting in the queue; Long.MAX_VALUE: never. */
    final long deadlineNanos;
    /**
     * What requests must share to batch together: the inputs' shapes without the batch dimension, or
     * with padding only their ranks (every other dimension a -1), since padding evens out the rest.
     */
    private final int[][] itemShapes;
    final CompletableFuture<Tensor[]> result = new CompletableFuture<>();

    InferenceJob(Tensor[] inputs, int batchSize, int priorityLevel, long arrivalNanos, long deadlineNanos, boolean batched) {
        this(inputs, batchSize, priorityLevel, arrivalNanos, deadlineNanos, batched, false);
    }

    InferenceJob(Tensor[] inputs, int batchSize, int priorityLevel, long arrivalNanos, long deadlineNanos, boolean batched, boolean padded) {
        this.inputs = inputs;
        this.batchSize = batchSize;
        this.priorityLevel = priorityLevel;
        this.arrivalNanos = arrivalNanos;
        this.deadlineNanos = deadlineNanos;
        this.itemShapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            int[] s = inputs[i].shape();
            itemShapes[i] = batched ? Arrays.copyOfRange(s, 1, s.length) : s;
            if (padded) Arrays.fill(itemShapes[i], -1);
        }
    }

    /** A job for the batch policy's tests: no tensors, just a size, a shape key, a priority and times. */
    static InferenceJob forPolicy(int batchSize, int shapeKey, int priorityLevel, long arrivalNanos, long deadlineNanos) {
        return new InferenceJob(batchSize, new int[][] {{shapeKey}}, priorityLevel, arrivalNanos, deadlineNanos);
    }

    private InferenceJob(int batchSize, int[][] itemShapes, int priorityLevel, long arrivalNanos, long deadlineNanos) {
        this.inputs = new Tensor[0];
        this.batchSize = batchSize;
        this.itemShapes = itemShapes;
        this.priorityLevel = priorityLevel;
        this.arrivalNanos = arrivalNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** Whether this job's samples can share a batch with {@code other}'s (same per-sample shapes, or ranks when padding). */
    boolean compatibleWith(InferenceJob other) {
        return Arrays.deepEquals(itemShapes, other.itemShapes);
    }

    public CompletableFuture<Tensor[]> result() {
        return result;
    }
}
