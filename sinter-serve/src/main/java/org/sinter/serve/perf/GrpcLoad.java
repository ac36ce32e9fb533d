package org.sinter.serve.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.sinter.serve.grpc.GrpcInferenceServer;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;
import org.sinter.serve.grpc.v2.ModelMetadataRequest;
import org.sinter.serve.grpc.v2.ModelMetadataResponse;

/**
 * The load generator over the protocol's gRPC endpoint ({@code sinter perf --protocol grpc}, as
 * perf_analyzer's {@code -i grpc}): the same closed and open loops as {@link LoadGenerator}'s HTTP
 * ones, with {@code ModelInfer} calls on one HTTP/2 channel (grpc-java's asynchronous stub,
 * callbacks on the transport's threads). Inputs travel as {@code raw_input_contents}, the binary
 * layout perf_analyzer uses, built once per step from the same JSON request the HTTP mode sends.
 */
public final class GrpcLoad implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;
    private static final MethodDescriptor<ModelInferRequest, ModelInferResponse> INFER =
            GrpcInferenceServer.method("ModelInfer", ModelInferRequest.getDefaultInstance(), ModelInferResponse.getDefaultInstance());
    private static final MethodDescriptor<ModelMetadataRequest, ModelMetadataResponse> METADATA =
            GrpcInferenceServer.method("ModelMetadata", ModelMetadataRequest.getDefaultInstance(), ModelMetadataResponse.getDefaultInstance());

    private final ManagedChannel channel;
    private final String target;

    /** A plaintext channel to {@code host:port}. */
    public GrpcLoad(String target) {
        this.target = target;
        this.channel = NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor().maxInboundMessageSize(64 << 20).build();
    }

    /** The model's metadata in the HTTP endpoint's JSON form (what {@link LoadGenerator#randomRequest} reads). */
    public JsonNode metadata(String model, String version) {
        ModelMetadataResponse m;
        try {
            m = ClientCalls.blockingUnaryCall(channel, METADATA, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    ModelMetadataRequest.newBuilder().setName(model).setVersion(version == null ? "" : version).build());
        } catch (StatusRuntimeException e) {
            Throwable cause = e.getStatus().getCause();
            throw new IllegalArgumentException("ModelMetadata of '" + model + "' at " + target + " failed: " + e.getStatus().getCode() + " "
                    + e.getStatus().getDescription() + (cause != null ? " (" + cause.getMessage() + ")" : ""), e);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("name", m.getName());
        ArrayNode inputs = root.putArray("inputs");
        for (ModelMetadataResponse.TensorMetadata t : m.getInputsList()) {
            ObjectNode o = inputs.addObject();
            o.put("name", t.getName());
            o.put("datatype", t.getDatatype());
            ArrayNode shape = o.putArray("shape");
            t.getShapeList().forEach(shape::add);
        }
        return root;
    }

    /**
     * The gRPC form of a JSON infer request ({@code --input}'s format or {@link
     * LoadGenerator#randomRequest}'s): each input's data as raw little-endian bytes, the requested
     * outputs by name. A malformed request is refused naming the field.
     */
    public static ModelInferRequest request(byte[] json, String model, String version) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject() || !root.path("inputs").isArray()) {
            throw new IllegalArgumentException("an infer request must be a JSON object with an \"inputs\" array");
        }
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version == null ? "" : version);
        JsonNode inputs = root.get("inputs");
        for (int i = 0; i < inputs.size(); i++) {
            String field = "inputs[" + i + "]";
            JsonNode in = inputs.get(i);
            if (!in.path("name").isTextual()) throw new IllegalArgumentException(field + ".name must be a string");
            InferBody.RawInput raw = InferBody.RawInput.of(in, field);
            ModelInferRequest.InferInputTensor.Builder t = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(in.get("name").asText()).setDatatype(in.get("datatype").asText());
            for (int d : raw.shape()) t.addShape(d);
            b.addInputs(t);
            b.addRawInputContents(ByteString.copyFrom(raw.data()));
        }
        for (JsonNode o : root.path("outputs")) {
            if (o.path("name").isTextual()) b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(o.get("name").asText()));
        }
        return b.build();
    }

    /** One asynchronous ModelInfer; {@code done} gets whether it succeeded, on a transport thread. */
    private void infer(ModelInferRequest request, java.util.function.Consumer<Boolean> done) {
        ClientCalls.asyncUnaryCall(channel.newCall(INFER, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)), request,
                new StreamObserver<>() {
                    @Override public void onNext(ModelInferResponse value) {}
                    @Override public void onError(Throwable t) { done.accept(false); }
                    @Override public void onCompleted() { done.accept(true); }
                });
    }

    /**
     * One closed-loop step: {@code concurrency} clients, each sending the next call when its last
     * is answered, for {@code warmup} then {@code measure}. Calls sent inside the measured window are
     * counted, as in the HTTP loop.
     */
    public LoadGenerator.Step run(ModelInferRequest request, int concurrency, Duration warmup, Duration measure) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        LoadGenerator.LatencyLog log = new LoadGenerator.LatencyLog((int) Math.min(1 << 20, concurrency * 1024L));
        AtomicLong failed = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) new Client(request, measureFrom, end, log, failed, finished).send();
        LoadGenerator.sleepUntil(measureFrom);
        long cpuFrom = LoadGenerator.processCpuNanos();
        LoadGenerator.sleepUntil(end);
        long cpuTo = LoadGenerator.processCpuNanos();
        if (!finished.await(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) throw new IllegalStateException("gRPC clients did not finish within the call deadline");
        long[] all = log.sorted();
        double seconds = measure.toNanos() / 1e9;
        double cpuPerRequest = cpuFrom < 0 || cpuTo < 0 || all.length == 0 ? Double.NaN : (cpuTo - cpuFrom) / 1e3 / all.length;
        return new LoadGenerator.Step(concurrency, all.length, failed.get(), seconds, all.length / seconds, LoadGenerator.percentile(all, 50),
                LoadGenerator.percentile(all, 90), LoadGenerator.percentile(all, 95), LoadGenerator.percentile(all, 99), cpuPerRequest);
    }

    /** One closed-loop client: a call in flight at a time, the next sent from the last one's callback. */
    private final class Client {
        private final ModelInferRequest request;
        private final long measureFrom;
        private final long end;
        private final LoadGenerator.LatencyLog log;
        private final AtomicLong failed;
        private final CountDownLatch finished;

        Client(ModelInferRequest request, long measureFrom, long end, LoadGenerator.LatencyLog log, AtomicLong failed, CountDownLatch finished) {
            this.request = request;
            this.measureFrom = measureFrom;
            this.end = end;
            this.log = log;
            this.failed = failed;
            this.finished = finished;
        }

        void send() {
            long sent = System.nanoTime();
            if (sent >= end) {
                finished.countDown();
                return;
            }
            infer(request, ok -> {
                if (sent >= measureFrom) {
                    if (ok) log.add(System.nanoTime() - sent);
                    else failed.incrementAndGet();
                }
                if (ok) {
                    send();
                } else {
                    // A call that fails at once (no server) may call back inside infer(): go on from another
                    // thread after a millisecond, not by recursion, and without spinning.
                    Thread.ofVirtual().start(() -> {
                        LockSupport.parkNanos(1_000_000);
                        send();
                    });
                }
            });
        }
    }

    /**
     * One open-loop step: calls scheduled at {@code rate} per second (constant or exponential gaps
     * from {@code seed}), at most {@code maxOutstanding} unanswered (beyond that the sender waits, and
     * the wait counts), each latency measured from its scheduled time, as {@link LoadGenerator#runRate}.
     */
    public LoadGenerator.RateStep runRate(ModelInferRequest request, double rate, LoadGenerator.Arrivals arrivals, long seed, int maxOutstanding,
                                          Duration warmup, Duration measure) throws InterruptedException {
        return OpenLoop.run(rate, arrivals, seed, maxOutstanding, warmup, measure, TIMEOUT_SECONDS, done -> infer(request, done));
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
