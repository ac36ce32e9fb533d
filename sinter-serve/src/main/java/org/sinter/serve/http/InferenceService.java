package org.sinter.serve.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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

    /** Parses and runs; {@code parse} reads the request against the config of the version that will run it. */
    public Result infer(String model, Long version, java.util.function.Function<LoadedVersion, InferRequest> parse) {
        long start = System.nanoTime();
        LoadedVersion v = null;
        try {
            // A reload swaps the new versions in before draining the old: a request that met the old
            // version as it closed finds the new one on its second look.
            for (int attempt = 0; ; attempt++) {
                v = repository.get(model, version);
                InferRequest request = parse.apply(v);
                try {
                    Tensor[] out = v.batcher().submit(request.inputs(), request.priority(), request.timeoutMicros()).get();
                    metrics.success(model, v.version(), System.nanoTime() - start);
                    return new Result(v, request, out);
                } catch (ModelUnavailableException e) {
                    if (attempt == 1) throw e;
                }
            }
        } catch (ServeException e) {
            // An unknown model's name is the client's text: counted under model "" so that a stream of
            // random names cannot grow the metrics without bound.
            metrics.failure(e.status == 404 && v == null ? "" : model, v == null ? null : v.version(),
                    e.status == 413 || e.status == 400 || e.status == 404 ? "invalid" : "internal");
            throw e;
        } catch (IllegalArgumentException e) {
            metrics.failure(model, v.version(), "invalid");
            throw ServeException.badRequest(e.getMessage());
        } catch (QueueFullException e) {
            metrics.failure(model, v.version(), "overload");
            throw new ServeException(429, e.getMessage());
        } catch (ModelUnavailableException e) {
            metrics.failure(model, v.version(), "unavailable");
            throw new ServeException(503, e.getMessage());
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RequestTimeoutException) {
                metrics.failure(model, v.version(), "timeout");
                throw new ServeException(503, cause.getMessage());
            }
            metrics.failure(model, v.version(), "internal");
            throw new ServeException(500, "model '" + model + "' version " + v.version() + " failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServeException(503, "the server is shutting down");
        }
    }
}
