package org.sinter.serve.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.sinter.Tensor;
import org.sinter.serve.ServeException;
import org.sinter.serve.batching.ModelUnavailableException;
import org.sinter.serve.batching.QueueFullException;
import org.sinter.serve.batching.RequestTimeoutException;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.LoadedVersion;
import org.sinter.serve.repository.ModelRepository;

/**
 * Runs a validated request on a model version through its batcher, mapping the batcher's refusals to
 * the protocol's statuses (queue full 429, queue timeout 503, unloading 503, model failure 500) and
 * counting every outcome in the metrics.
 */
public final class InferenceService {
    private final ModelRepository repository;
    private final ServerMetrics metrics;

    public InferenceService(ModelRepository repository, ServerMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    /** A finished inference: the version that ran it and its outputs in config order. */
    public record Result(LoadedVersion version, InferRequest request, Tensor[] outputs) {}

    /**
     * Parses and runs, waiting for the answer; {@code parse} reads the request against the config of
     * the version that will run it.
     */
    public Result infer(String model, Long version, Function<LoadedVersion, InferRequest> parse) {
        try {
            return inferAsync(model, version, parse).get();
        } catch (ExecutionException e) {
            throw (ServeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServeException(503, "the server is shutting down");
        }
    }

    /**
     * Parses and queues without waiting: the future completes on the thread that finishes the batch,
     * and fails only with a {@link ServeException} (the protocol's status and message). The HTTP
     * front end writes its answer from there, so a request costs no thread of its own while it waits.
     * A request that is malformed or refused at the queue fails the future before this returns.
     */
    public CompletableFuture<Result> inferAsync(String model, Long version, Function<LoadedVersion, InferRequest> parse) {
        long start = System.nanoTime();
        LoadedVersion v = null;
        try {
            // A reload swaps the new versions in before draining the old: a request that met the old
            // version as it closed finds the new one on its second look.
            for (int attempt = 0; ; attempt++) {
                v = repository.get(model, version);
                InferRequest request = parse.apply(v);
                LoadedVersion ran = v;
                try {
                    return v.batcher().submit(request.inputs(), request.priority(), request.timeoutMicros()).handle((out, failure) -> {
                        if (failure != null) throw refusal(model, ran, failure instanceof CompletionException c ? c.getCause() : failure);
                        metrics.success(model, ran.version(), System.nanoTime() - start);
                        return new Result(ran, request, out);
                    });
                } catch (ModelUnavailableException e) {
                    if (attempt == 1) throw e;
                }
            }
        } catch (ServeException | IllegalArgumentException | QueueFullException | ModelUnavailableException e) {
            return CompletableFuture.failedFuture(refusal(model, v, e));
        }
    }

    /** Counts a failed request in the metrics and maps it to the protocol's status. */
    private ServeException refusal(String model, LoadedVersion v, Throwable e) {
        Long version = v == null ? null : v.version();
        return switch (e) {
            case ServeException s -> {
                // An unknown model's name is the client's text: counted under model "" so that a stream of
                // random names cannot grow the metrics without bound.
                metrics.failure(s.status == 404 && v == null ? "" : model, version,
                        s.status == 413 || s.status == 400 || s.status == 404 ? "invalid" : "internal");
                yield s;
            }
            case IllegalArgumentException a -> {
                metrics.failure(model, version, "invalid");
                yield ServeException.badRequest(a.getMessage());
            }
            case QueueFullException q -> {
                metrics.failure(model, version, "overload");
                yield new ServeException(429, q.getMessage());
            }
            case ModelUnavailableException u -> {
                metrics.failure(model, version, "unavailable");
                yield new ServeException(503, u.getMessage());
            }
            case RequestTimeoutException t -> {
                metrics.failure(model, version, "timeout");
                yield new ServeException(503, t.getMessage());
            }
            default -> {
                metrics.failure(model, version, "internal");
                yield new ServeException(500, "model '" + model + "' version " + version + " failed: " + e);
            }
        };
    }
}
