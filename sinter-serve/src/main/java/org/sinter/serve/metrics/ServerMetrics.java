package org.sinter.serve.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.sinter.serve.batching.BatchObserver;

/**
 * The server's Prometheus metrics, per model and version (Triton's {@code nv_inference_*} set under
 * Sinter's prefix): request successes and failures, inferences (samples) vs executions (batches) so the
 * batching ratio shows, the queue / compute-input / compute-infer / compute-output and whole-request
 * durations, and the batch-size histogram.
 */
public final class ServerMetrics {
    private static final String[] LABELS = {"model", "version"};
    /** Durations from 50 us to about 26 s, doubling. */
    private static final double[] SECONDS = exponential(50e-6, 2, 20);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter success = counter("sinter_inference_request_success", "Inference requests answered successfully.");
    private final Counter failure = Counter.builder().name("sinter_inference_request_failure")
            .help("Inference requests that failed, by reason (invalid, overload, timeout, unavailable, internal).")
            .labelNames("model", "version", "reason").register(registry);
    private final Counter inferences = counter("sinter_inference_count", "Samples inferred (a batched request counts its batch size).");
    private final Counter executions = counter("sinter_inference_exec_count", "Model executions (batches run); inference_count / exec_count is the mean batch size.");
    private final Histogram requestDuration = histogram("sinter_inference_request_duration_seconds", "Whole request time in the server, parsing to serialised answer.");
    private final Histogram queueDuration = histogram("sinter_inference_queue_duration_seconds", "Time a request waited in its model's queue.");
    private final Histogram inputDuration = histogram("sinter_inference_compute_input_duration_seconds", "Time gathering a batch's inputs.");
    private final Histogram inferDuration = histogram("sinter_inference_compute_infer_duration_seconds", "Time in the model's forward per batch.");
    private final Histogram outputDuration = histogram("sinter_inference_compute_output_duration_seconds", "Time splitting a batch's outputs.");
    private final Histogram batchSize = Histogram.builder().name("sinter_inference_batch_size").help("Samples per executed batch.")
            .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).labelNames(LABELS).register(registry);

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The observer a (model, version)'s batcher reports to. */
    public BatchObserver observer(String model, long version) {
        String v = Long.toString(version);
        return (requests, size, queueNanos, inputNanos, inferNanos, outputNanos) -> {
            executions.labelValues(model, v).inc();
            inferences.labelValues(model, v).inc(size);
            batchSize.labelValues(model, v).observe(size);
            for (long q : queueNanos) queueDuration.labelValues(model, v).observe(q / 1e9);
            inputDuration.labelValues(model, v).observe(inputNanos / 1e9);
            inferDuration.labelValues(model, v).observe(inferNanos / 1e9);
            outputDuration.labelValues(model, v).observe(outputNanos / 1e9);
        };
    }

    public void success(String model, long version, long nanos) {
        String v = Long.toString(version);
        success.labelValues(model, v).inc();
        requestDuration.labelValues(model, v).observe(nanos / 1e9);
    }

    /** @param version null when the request never reached a version (unknown model, refused) */
    public void failure(String model, Long version, String reason) {
        failure.labelValues(model, version == null ? "" : version.toString(), reason).inc();
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames(LABELS).register(registry);
    }

    private Histogram histogram(String name, String help) {
        return Histogram.builder().name(name).help(help)
                .classicOnly().classicUpperBounds(SECONDS).labelNames(LABELS).register(registry);
    }

    private static double[] exponential(double start, double factor, int n) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) b[i] = start * Math.pow(factor, i);
        return b;
    }
}
