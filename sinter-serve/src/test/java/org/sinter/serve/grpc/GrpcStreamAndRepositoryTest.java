package org.sinter.serve.grpc;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.grpc.v2.InferTensorContents;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;
import org.sinter.serve.grpc.v2.ModelReadyRequest;
import org.sinter.serve.grpc.v2.ModelReadyResponse;
import org.sinter.serve.grpc.v2.ModelRepositoryParameter;
import org.sinter.serve.grpc.v2.ModelStreamInferResponse;
import org.sinter.serve.grpc.v2.RepositoryIndexRequest;
import org.sinter.serve.grpc.v2.RepositoryIndexResponse;
import org.sinter.serve.grpc.v2.RepositoryModelLoadRequest;
import org.sinter.serve.grpc.v2.RepositoryModelLoadResponse;
import org.sinter.serve.grpc.v2.RepositoryModelUnloadRequest;
import org.sinter.serve.grpc.v2.RepositoryModelUnloadResponse;

/** Triton's extensions over gRPC: the model repository RPCs and ModelStreamInfer, with grpc-java's client over loopback. */
class GrpcStreamAndRepositoryTest {
    @TempDir
    Path root;
    private GrpcLoopback server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2);
        // A model whose config names an architecture the factory does not know: it fails to load.
        TestRepository.model(root, "broken", TestRepository.TINY_CONFIG.replace("\"model\": \"tiny\"", "\"model\": \"nosuch\""), 1);
        server = new GrpcLoopback(root);
        channel = server.channel;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private <Q extends Message, A extends Message> A call(String name, Q request, A responseType) {
        return server.call(name, request, responseType);
    }

    private RepositoryIndexResponse index(boolean ready) {
        return call("RepositoryIndex", RepositoryIndexRequest.newBuilder().setReady(ready).build(), RepositoryIndexResponse.getDefaultInstance());
    }

    private void load(String model) {
        call("RepositoryModelLoad", RepositoryModelLoadRequest.newBuilder().setModelName(model).build(), RepositoryModelLoadResponse.getDefaultInstance());
    }

    private void unload(String model) {
        call("RepositoryModelUnload", RepositoryModelUnloadRequest.newBuilder().setModelName(model).build(),
                RepositoryModelUnloadResponse.getDefaultInstance());
    }

    private boolean ready(String model) {
        return call("ModelReady", ModelReadyRequest.newBuilder().setName(model).build(), ModelReadyResponse.getDefaultInstance()).getReady();
    }

    private static void refused(Status.Code code, String words, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains(words), e.getStatus().toString());
    }

    private static Map<String, String> states(RepositoryIndexResponse r) {
        Map<String, String> m = new HashMap<>();
        for (RepositoryIndexResponse.ModelIndex e : r.getModelsList()) m.put(e.getName() + "/" + e.getVersion(), e.getState());
        return m;
    }

    @Test
    void theIndexListsEveryModelWithItsStateAndReason() {
        RepositoryIndexResponse all = index(false);
        assertEquals(Map.of("tiny/1", "READY", "tiny/2", "READY", "broken/", "UNAVAILABLE"), states(all));
        RepositoryIndexResponse.ModelIndex broken = all.getModelsList().stream().filter(e -> e.getName().equals("broken")).findFirst().orElseThrow();
        assertTrue(broken.getReason().contains("nosuch"), broken.getReason());
        assertEquals(Map.of("tiny/1", "READY", "tiny/2", "READY"), states(index(true)));
        String repoName = root.getFileName().toString();
        assertEquals(3, call("RepositoryIndex", RepositoryIndexRequest.newBuilder().setRepositoryName(repoName).build(),
                RepositoryIndexResponse.getDefaultInstance()).getModelsCount());
        refused(Status.Code.NOT_FOUND, "repository_name 'elsewhere'", () -> call("RepositoryIndex",
                RepositoryIndexRequest.newBuilder().setRepositoryName("elsewhere").build(), RepositoryIndexResponse.getDefaultInstance()));
    }

    @Test
    void unloadAndLoadThroughTheRepositoryRpcs() throws Exception {
        assertTrue(ready("tiny"));
        unload("tiny");
        assertFalse(ready("tiny"));
        assertEquals("UNAVAILABLE", states(index(false)).get("tiny/"));
        refused(Status.Code.INVALID_ARGUMENT, "not ready", () -> infer(request("a", GrpcInferenceServerTest.X)));
        load("tiny");
        assertTrue(ready("tiny"));
        assertArrayEquals(expected(2, GrpcInferenceServerTest.X), floats(infer(request("b", GrpcInferenceServerTest.X)).getRawOutputContents(0)), 1e-6f);

        // The broken model loads once its config is fixed, without a restart.
        Files.writeString(root.resolve("broken/config.json"), TestRepository.TINY_CONFIG);
        load("broken");
        assertTrue(ready("broken"));

        refused(Status.Code.INVALID_ARGUMENT, "no model directory", () -> load("absent"));
        refused(Status.Code.NOT_FOUND, "is not loaded", () -> unload("never-loaded"));
        refused(Status.Code.INVALID_ARGUMENT, "model_name is missing", () -> load(""));
        refused(Status.Code.INVALID_ARGUMENT, "parameters.config", () -> call("RepositoryModelLoad", RepositoryModelLoadRequest.newBuilder()
                .setModelName("tiny").putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam("{}").build()).build(),
                RepositoryModelLoadResponse.getDefaultInstance()));
        refused(Status.Code.INVALID_ARGUMENT, "parameters.force", () -> call("RepositoryModelUnload", RepositoryModelUnloadRequest.newBuilder()
                .setModelName("tiny").putParameters("force", ModelRepositoryParameter.newBuilder().setBoolParam(true).build()).build(),
                RepositoryModelUnloadResponse.getDefaultInstance()));
        call("RepositoryModelUnload", RepositoryModelUnloadRequest.newBuilder().setModelName("tiny")
                .putParameters("unload_dependents", ModelRepositoryParameter.newBuilder().setBoolParam(true).build()).build(),
                RepositoryModelUnloadResponse.getDefaultInstance());
        assertFalse(ready("tiny"));
    }

    private ModelInferResponse infer(ModelInferRequest r) {
        return call("ModelInfer", r, ModelInferResponse.getDefaultInstance());
    }

    private static ModelInferRequest request(String id, float[] x) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : x) c.addFp32Contents(v);
        return ModelInferRequest.newBuilder().setModelName("tiny").setId(id)
                .addInputs(GrpcInferenceServerTest.input("x", "FP32", x.length / 4, 4).setContents(c)).build();
    }

    private static float[] expected(long version, float[] x) {
        try (var _ = Sinter.noGrad()) {
            return TestRepository.tiny(version).forward(Tensor.of(x, x.length / 4, 4)).toFloatArray();
        }
    }

    private static float[] floats(ByteString raw) {
        float[] f = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    /** Collects a stream's answers; {@link #await} returns once the server has completed (or failed) the stream. */
    private static final class Answers<T> implements StreamObserver<T> {
        final List<T> received = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch end = new CountDownLatch(1);
        volatile Throwable error;

        @Override
        public void onNext(T value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            end.countDown();
        }

        @Override
        public void onCompleted() {
            end.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(end.await(120, TimeUnit.SECONDS), "the stream did not end within the 120 s hang guard");
            assertNull(error, () -> "the stream failed: " + error);
        }
    }

    @Test
    void aStreamAnswersEveryRequestAndReportsFailuresInline() throws Exception {
        Answers<ModelStreamInferResponse> answers = new Answers<>();
        StreamObserver<ModelInferRequest> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(GrpcInferenceServer.streamMethod(), CallOptions.DEFAULT), answers);
        Map<String, float[]> valid = new HashMap<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int i = 0; i < 40; i++) {
            String id = "r" + i;
            if (i % 5 == 3) {
                // Shape [1, 4] with 3 elements.
                requests.onNext(ModelInferRequest.newBuilder().setModelName("tiny").setId(id).addInputs(GrpcInferenceServerTest
                        .input("x", "FP32", 1, 4).setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f)))).build());
                continue;
            }
            float[] x = new float[4 * (1 + i % 3)];
            for (int k = 0; k < x.length; k++) x[k] = (float) rnd.nextDouble(-2, 2);
            valid.put(id, x);
            requests.onNext(request(id, x));
        }
        requests.onNext(request("other-model", GrpcInferenceServerTest.X).toBuilder().setModelName("nope").build());
        requests.onCompleted();
        answers.await();

        assertEquals(41, answers.received.size(), "one answer per request");
        int errors = 0;
        for (ModelStreamInferResponse a : answers.received) {
            if (!a.getErrorMessage().isEmpty()) {
                errors++;
                assertFalse(a.hasInferResponse(), a.toString());
                assertTrue(a.getErrorMessage().contains("3 FP32 elements") || a.getErrorMessage().contains("'nope'"), a.getErrorMessage());
                continue;
            }
            ModelInferResponse r = a.getInferResponse();
            float[] x = valid.remove(r.getId());
            assertNotNull(x, "an answer for an unknown or repeated id " + r.getId());
            assertEquals("2", r.getModelVersion());
            assertArrayEquals(expected(2, x), floats(r.getRawOutputContents(0)), 1e-6f, r.getId());
        }
        assertEquals(9, errors);
        assertTrue(valid.isEmpty(), "unanswered: " + valid.keySet());
    }

    @Test
    void aCorruptedMessageOnAStreamIsAnsweredAndTheStreamGoesOn() throws Exception {
        MethodDescriptor<byte[], ModelStreamInferResponse> raw = MethodDescriptor.<byte[], ModelStreamInferResponse>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(GrpcInferenceServer.SERVICE, "ModelStreamInfer"))
                .setRequestMarshaller(RawBytes.MARSHALLER)
                .setResponseMarshaller(ProtoUtils.marshaller(ModelStreamInferResponse.getDefaultInstance())).build();
        Answers<ModelStreamInferResponse> answers = new Answers<>();
        ClientCall<byte[], ModelStreamInferResponse> c = channel.newCall(raw, CallOptions.DEFAULT);
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(c, answers);
        byte[] good = request("ok", GrpcInferenceServerTest.X).toByteArray();
        requests.onNext(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1});  // field 1 claims ~268 MB
        requests.onNext(good);
        requests.onCompleted();
        answers.await();
        assertEquals(2, answers.received.size());
        Function<Boolean, Long> count = failed -> answers.received.stream().filter(a -> a.getErrorMessage().isEmpty() != failed).count();
        assertEquals(1, count.apply(true));
        assertEquals(1, count.apply(false));
        assertTrue(answers.received.stream().anyMatch(a -> a.getErrorMessage().contains("not a valid ModelInferRequest")), answers.received.toString());
        assertTrue(answers.received.stream().anyMatch(a -> a.getInferResponse().getId().equals("ok")));
    }
}
