package org.sinter.serve.grpc;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.grpc.v2.InferParameter;
import org.sinter.serve.grpc.v2.InferTensorContents;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;
import org.sinter.serve.grpc.v2.ModelMetadataRequest;
import org.sinter.serve.grpc.v2.ModelMetadataResponse;
import org.sinter.serve.grpc.v2.ModelReadyRequest;
import org.sinter.serve.grpc.v2.ModelReadyResponse;
import org.sinter.serve.grpc.v2.ServerLiveRequest;
import org.sinter.serve.grpc.v2.ServerLiveResponse;
import org.sinter.serve.grpc.v2.ServerMetadataRequest;
import org.sinter.serve.grpc.v2.ServerMetadataResponse;
import org.sinter.serve.grpc.v2.ServerReadyRequest;
import org.sinter.serve.grpc.v2.ServerReadyResponse;

/** The gRPC endpoint over loopback with grpc-java's client. */
class GrpcInferenceServerTest {
    @TempDir
    Path root;
    private GrpcLoopback server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2);
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

    private ModelInferResponse infer(ModelInferRequest r) {
        return call("ModelInfer", r, ModelInferResponse.getDefaultInstance());
    }

    private static float[] expected(long version, float[] x, int rows) {
        try (var _ = Sinter.noGrad()) {
            return TestRepository.tiny(version).forward(Tensor.of(x, rows, 4)).toFloatArray();
        }
    }

    private static float[] floats(ByteString raw) {
        float[] f = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    static final float[] X = {0.5f, -1, 2, 0.25f, 1, 1, -0.5f, 3};

    static ModelInferRequest.InferInputTensor.Builder input(String name, String datatype, long... shape) {
        ModelInferRequest.InferInputTensor.Builder b = ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long d : shape) b.addShape(d);
        return b;
    }

    static ModelInferRequest.Builder typed(float[] x) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : x) c.addFp32Contents(v);
        return ModelInferRequest.newBuilder().setModelName("tiny").setId("req-1").addInputs(input("x", "FP32", 2, 4).setContents(c));
    }

    @Test
    void healthAndMetadata() {
        assertTrue(call("ServerLive", ServerLiveRequest.getDefaultInstance(), ServerLiveResponse.getDefaultInstance()).getLive());
        assertTrue(call("ServerReady", ServerReadyRequest.getDefaultInstance(), ServerReadyResponse.getDefaultInstance()).getReady());
        ServerMetadataResponse sm = call("ServerMetadata", ServerMetadataRequest.getDefaultInstance(), ServerMetadataResponse.getDefaultInstance());
        assertEquals("sinter", sm.getName());
        assertTrue(call("ModelReady", ModelReadyRequest.newBuilder().setName("tiny").build(), ModelReadyResponse.getDefaultInstance()).getReady());
        assertTrue(call("ModelReady", ModelReadyRequest.newBuilder().setName("tiny").setVersion("1").build(), ModelReadyResponse.getDefaultInstance()).getReady());
        assertFalse(call("ModelReady", ModelReadyRequest.newBuilder().setName("nope").build(), ModelReadyResponse.getDefaultInstance()).getReady());
        ModelMetadataResponse mm = call("ModelMetadata", ModelMetadataRequest.newBuilder().setName("tiny").build(), ModelMetadataResponse.getDefaultInstance());
        assertEquals("tiny", mm.getName());
        assertEquals(java.util.List.of("1", "2"), mm.getVersionsList().stream().sorted().toList());
        assertEquals("x", mm.getInputs(0).getName());
        assertEquals(java.util.List.of(-1L, 4L), mm.getInputs(0).getShapeList());
        assertEquals("FP32", mm.getOutputs(0).getDatatype());
    }

    @Test
    void typedAndRawInputsGiveTheModelsOutputs() {
        ModelInferResponse r = infer(typed(X).build());
        assertEquals("tiny", r.getModelName());
        assertEquals("2", r.getModelVersion());
        assertEquals("req-1", r.getId());
        assertEquals("y", r.getOutputs(0).getName());
        assertEquals(java.util.List.of(2L, 3L), r.getOutputs(0).getShapeList());
        assertArrayEquals(expected(2, X, 2), floats(r.getRawOutputContents(0)), 1e-6f);

        ByteBuffer raw = ByteBuffer.allocate(X.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : X) raw.putFloat(v);
        ModelInferResponse r1 = infer(ModelInferRequest.newBuilder().setModelName("tiny").setModelVersion("1")
                .addInputs(input("x", "FP32", 2, 4)).addRawInputContents(ByteString.copyFrom(raw.array())).build());
        assertEquals("1", r1.getModelVersion());
        assertArrayEquals(expected(1, X, 2), floats(r1.getRawOutputContents(0)), 1e-6f);
    }

    private void refused(Status.Code code, String words, ModelInferRequest r) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> infer(r));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains(words), e.getStatus().toString());
    }

    @Test
    void badRequestsGetTheProtocolsCodesAndNameTheProblem() {
        refused(Status.Code.NOT_FOUND, "nope", typed(X).setModelName("nope").build());
        refused(Status.Code.INVALID_ARGUMENT, "is FP32, got INT64", ModelInferRequest.newBuilder().setModelName("tiny")
                .addInputs(input("x", "INT64", 1, 4).setContents(InferTensorContents.newBuilder().addAllInt64Contents(java.util.List.of(1L, 2L, 3L, 4L)))).build());
        refused(Status.Code.INVALID_ARGUMENT, "7 FP32 elements", typed(java.util.Arrays.copyOf(X, 7)).build());
        refused(Status.Code.INVALID_ARGUMENT, "'z' is not an input", ModelInferRequest.newBuilder().setModelName("tiny").addInputs(input("z", "FP32", 1, 4)).build());
        refused(Status.Code.INVALID_ARGUMENT, "raw_input_contents[0] holds 3 bytes", ModelInferRequest.newBuilder().setModelName("tiny")
                .addInputs(input("x", "FP32", 1, 4)).addRawInputContents(ByteString.copyFrom(new byte[3])).build());
        refused(Status.Code.INVALID_ARGUMENT, "limit of 4096 elements", ModelInferRequest.newBuilder().setModelName("tiny").addInputs(input("x", "FP32", 8, 1 << 20)).build());
        refused(Status.Code.INVALID_ARGUMENT, "batch dimension", typed(X).setInputs(0, input("x", "FP32", 9, 4)).build());
        refused(Status.Code.INVALID_ARGUMENT, "model_version", typed(X).setModelVersion("two").build());
        refused(Status.Code.INVALID_ARGUMENT, "priority", typed(X).putParameters("priority", InferParameter.newBuilder().setStringParam("high").build()).build());
        refused(Status.Code.INVALID_ARGUMENT, "is missing", ModelInferRequest.newBuilder().setModelName("tiny").build());
        // Still serving after all of that.
        assertArrayEquals(expected(2, X, 2), floats(infer(typed(X).build()).getRawOutputContents(0)), 1e-6f);
    }
}
