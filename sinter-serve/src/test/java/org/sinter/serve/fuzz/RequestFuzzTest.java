package org.sinter.serve.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.grpc.GrpcInferenceServer;
import org.sinter.serve.grpc.v2.InferTensorContents;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/**
 * The request fuzzer: seeded structural mutations of valid inference requests (JSON fields, shapes, datatypes, names,
 * counts, binary-extension headers and lengths, truncated bodies, lying or huge Content-Length, corrupted protobuf)
 * sent over raw HTTP sockets and gRPC, mixed with valid requests. Bars: no 5xx other than the documented overload
 * answers (429/503, RESOURCE_EXHAUSTED/UNAVAILABLE), no INTERNAL/UNKNOWN gRPC status, no hang (every exchange is
 * bounded by a generous guard), the server still live at the end, and every valid request answered with the
 * model's own forward. The default run is a 1,000-request slice; {@code -Dsinter.fuzz.requests=10000} (see
 * bench/serve_fuzz.sh) runs the full 10,000.
 */
class RequestFuzzTest {
    private static final int REQUESTS = Integer.getInteger("sinter.fuzz.requests", 1000);
    private static final long SEED = Long.getLong("sinter.fuzz.seed", 12);
    /** Hang guard per exchange, far above any answer time on a loaded box. */
    private static final int GUARD_MILLIS = 120_000;

    @TempDir
    Path root;
    private ModelRepository repo;
    private InferenceServer http;
    private GrpcInferenceServer grpc;
    private ManagedChannel channel;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
    // Raw bytes on the wire so that corrupted protobuf reaches the server unparsed.
    private static final MethodDescriptor<byte[], byte[]> MODEL_INFER = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("inference.GRPCInferenceService", "ModelInfer"))
            .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();

    @BeforeEach
    void start() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2);
        ServerMetrics metrics = new ServerMetrics();
        repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer);
        repo.loadAll();
        http = new InferenceServer(repo, metrics, new InferenceServer.Options("127.0.0.1", 0, 1 << 16, 1 << 12, 30_000, null)).start();
        grpc = new GrpcInferenceServer(repo, http.service(), 1 << 12, http::isReady, new InetSocketAddress("127.0.0.1", 0));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        grpc.close();
        http.close();
        repo.close();
    }

    @Test
    @Timeout(value = 1800, unit = TimeUnit.SECONDS)
    void malformedRequestsNeverCrashHangOr5xxAndValidOnesAreAnswered() throws Exception {
        Random rnd = new Random(SEED);
        int valid = 0;
        int malformed = 0;
        for (int i = 0; i < REQUESTS; i++) {
            int rows = 1 + rnd.nextInt(8);
            float[] x = new float[rows * 4];
            for (int j = 0; j < x.length; j++) x[j] = (float) rnd.nextGaussian();
            boolean isValid = rnd.nextInt(4) == 0;
            boolean overGrpc = rnd.nextInt(3) == 0;
            String where = "request " + i + " (seed " + SEED + ")";
            if (isValid) {
                valid++;
                float[] got = overGrpc ? validGrpc(x, rows, rnd.nextBoolean(), where) : validHttp(x, rows, rnd.nextBoolean(), where);
                float[] want = expected(x, rows);
                assertEquals(want.length, got.length, where + ": output length");
                for (int j = 0; j < want.length; j++)
                    assertEquals(want[j], got[j], 1e-5f * Math.max(1, Math.abs(want[j])), where + ": output " + j);
            } else {
                malformed++;
                if (overGrpc) malformedGrpc(x, rows, rnd, where);
                else malformedHttp(x, rows, rnd, where);
            }
            if (i % 500 == 499) assertEquals(200, exchange(get("/v2/health/live"), false, where).status, where + ": server not live");
        }
        assertEquals(200, exchange(get("/v2/health/ready"), false, "final readiness").status);
        System.out.printf("fuzz: seed %d, %d requests (%d valid, all answered correctly; %d malformed), outcomes %s%n",
                SEED, REQUESTS, valid, malformed, outcomes);
        assertTrue(valid > 0 && malformed > 0);
    }

    private static float[] expected(float[] x, int rows) {
        try (var _ = Sinter.noGrad()) {
            return TestRepository.tiny(2).forward(Tensor.of(x, rows, 4)).toFloatArray();
        }
    }

    // ---------------------------------------------------------------- HTTP

    private record Answer(int status, byte[] body) {}

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] post(String path, byte[] body, long declaredLength, String... headers) {
        StringBuilder h = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nContent-Type: application/json\r\n");
        for (int i = 0; i < headers.length; i += 2) h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        h.append("Content-Length: ").append(declaredLength).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * Sends raw bytes, half-closes, reads the whole answer. A status of -1 means the server closed without an answer,
     * allowed only when {@code mayDrop} (a body shorter than its declared length, which no server can answer in full).
     */
    private Answer exchange(byte[] raw, boolean mayDrop, String where) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(GUARD_MILLIS);
            try {
                s.getOutputStream().write(raw);
                s.shutdownOutput();
            } catch (IOException e) {
                // The server may answer (413) and close before reading everything we send.
            }
            byte[] all;
            try {
                all = s.getInputStream().readAllBytes();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError(where + ": no answer within " + GUARD_MILLIS + " ms (hang)", e);
            } catch (IOException e) {
                all = new byte[0];
            }
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) {
                assertTrue(mayDrop, where + ": no HTTP answer, got '" + text.substring(0, Math.min(80, text.length())) + "'");
                return new Answer(-1, all);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            byte[] body = split < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all, split + 4, all.length);
            return new Answer(status, body);
        }
    }

    private String jsonRequest(float[] x, int rows) {
        StringBuilder d = new StringBuilder();
        for (int j = 0; j < x.length; j++) d.append(j == 0 ? "" : ",").append(x[j]);
        return "{\"id\":\"f\",\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + ",4],\"datatype\":\"FP32\",\"data\":[" + d + "]}]}";
    }

    private static byte[] le(float[] x) {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) b.putFloat(v);
        return b.array();
    }

    private static String binaryHeader(int rows, long size) {
        return "{\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + ",4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + size + "}}]}";
    }

    private float[] validHttp(float[] x, int rows, boolean binary, String where) throws IOException {
        byte[] raw;
        if (binary) {
            byte[] h = binaryHeader(rows, 4L * x.length).getBytes(StandardCharsets.UTF_8);
            byte[] body = concat(h, le(x));
            raw = post("/v2/models/tiny/infer", body, body.length, "Inference-Header-Content-Length", Integer.toString(h.length));
        } else {
            byte[] body = jsonRequest(x, rows).getBytes(StandardCharsets.UTF_8);
            raw = post("/v2/models/tiny/infer", body, body.length);
        }
        Answer a = exchange(raw, false, where);
        assertEquals(200, a.status, where + ": valid request refused: " + new String(a.body, StandardCharsets.UTF_8));
        JsonNode out = json.readTree(a.body).get("outputs").get(0);
        assertEquals("[" + rows + ",3]", out.get("shape").toString(), where);
        JsonNode data = out.get("data");
        float[] f = new float[data.size()];
        for (int j = 0; j < f.length; j++) f[j] = (float) data.get(j).asDouble();
        return f;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static final String[] JUNK = {"null", "\"x\"", "-1", "0", "1e400", "-9223372036854775809", "9999999999999", "[]", "{}",
            "[[1]]", "true", "\"FP32\"", "[-1,4]", "[0,4]", "[2147483648,4]", "[1,4,1,1,1,1,1,1,1,1]", "\"NaN\"", "1.5"};
    private static final String[] DATATYPES = {"FP16", "FP64", "INT64", "BYTES", "fp32", "", "BOOL", "UINT8", "FP32 ", "\u0000"};

    private void malformedHttp(float[] x, int rows, Random rnd, String where) throws IOException {
        String good = jsonRequest(x, rows);
        String path = "/v2/models/tiny/infer";
        byte[] body;
        String kind;
        String[] headers = {};
        long declared = -1;
        boolean mayDrop = false;
        switch (rnd.nextInt(14)) {
            case 0 -> { // a field removed
                String[] fields = {"\"inputs\":", "\"name\":", "\"shape\":", "\"datatype\":", "\"data\":"};
                String f = fields[rnd.nextInt(fields.length)];
                kind = "field-removed";
                body = good.replaceFirst(java.util.regex.Pattern.quote(f), "\"zz" + rnd.nextInt(10) + "\":").getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> { // a field of the wrong type or value
                String[] fields = {"inputs", "name", "shape", "datatype", "data", "id"};
                String f = fields[rnd.nextInt(fields.length)];
                JsonNode tree = json.readTree(good);
                String v = JUNK[rnd.nextInt(JUNK.length)];
                var target = f.equals("inputs") || f.equals("id") ? (com.fasterxml.jackson.databind.node.ObjectNode) tree
                        : (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("inputs").get(0);
                target.set(f, json.readTree(v.equals("1e400") ? "1e300" : v));
                String s = json.writeValueAsString(tree);
                if (v.equals("1e400")) s = s.replace("1.0E300", "1e400");
                kind = "field-type";
                body = s.getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> { // shapes that disagree with the data or the model
                String[] shapes = {"[" + rows + ",5]", "[" + (rows + 1) + ",4]", "[-" + rows + ",4]", "[" + rows + "]", "[]",
                        "[" + rows + ",4,1]", "[9223372036854775807,4]", "[4294967296,4]", "[" + rows * 2 + ",2]", "[0,4]", "[9,4]"};
                kind = "shape";
                body = good.replace("[" + rows + ",4]", shapes[rnd.nextInt(shapes.length)]).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                kind = "datatype";
                body = good.replace("\"FP32\"", "\"" + DATATYPES[rnd.nextInt(DATATYPES.length)] + "\"").getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> { // names and counts
                String one = good.substring(good.indexOf('[') + 1, good.lastIndexOf(']'));
                String[] variants = {good.replace("\"name\":\"x\"", "\"name\":\"nope\""), good.replace("\"name\":\"x\"", "\"name\":\"\""),
                        "{\"inputs\":[]}", "{\"inputs\":[" + one + "," + one + "]}",
                        "{\"inputs\":[" + one + "," + one.replace("\"x\"", "\"x2\"") + "]}",
                        good.replace("]}", "],\"outputs\":[{\"name\":\"nope\"}]}"),
                        good.replace("]}", "],\"outputs\":[{\"name\":\"y\"},{\"name\":\"y\"}]}"),
                        good.replace("]}", "],\"outputs\":{}}")};
                kind = "name-count";
                body = variants[rnd.nextInt(variants.length)].getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> { // data of the wrong length or content
                int cut = good.lastIndexOf(',');
                String[] variants = {good.substring(0, cut) + "]}]}", good.replace("]}]}", ",1]}]}"),
                        good.replace("\"data\":[", "\"data\":[\"a\","), good.replace("\"data\":[", "\"data\":[[1,2],"),
                        good.replace("\"data\":[", "\"data\":[1e400,").substring(0, good.length()), good.replace("\"data\":[", "\"data\":[null,"),
                        good.replace("\"data\":[", "\"data\":[{},")};
                kind = "data";
                body = variants[rnd.nextInt(variants.length)].getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> { // truncated JSON, honestly declared
                byte[] b = good.getBytes(StandardCharsets.UTF_8);
                kind = "truncated";
                body = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            case 7 -> { // random byte corruption
                byte[] b = good.getBytes(StandardCharsets.UTF_8);
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                kind = "bytes";
                body = b;
            }
            case 8 -> { // binary extension: header length lies, is junk, or binary sizes disagree
                int rowsSent = rnd.nextBoolean() ? rows : rows + 1;
                long size = switch (rnd.nextInt(5)) {
                    case 0 -> 4L * x.length + 4;
                    case 1 -> -16;
                    case 2 -> 1L << 40;
                    case 3 -> 4L * x.length - 1;
                    default -> 4L * x.length;
                };
                byte[] h = binaryHeader(rowsSent, size).getBytes(StandardCharsets.UTF_8);
                byte[] bin = rnd.nextBoolean() ? le(x) : java.util.Arrays.copyOf(le(x), rnd.nextInt(4 * x.length));
                String[] lengths = {Integer.toString(h.length + 1 + rnd.nextInt(100)), "-1", "abc", "99999999999", "", Integer.toString(h.length - 1),
                        Integer.toString(h.length)};
                String len = lengths[rnd.nextInt(lengths.length)];
                if (len.equals(Integer.toString(h.length)) && size == 4L * x.length && rowsSent == rows && bin.length == 4 * x.length)
                    bin = java.util.Arrays.copyOf(bin, bin.length - 1); // keep it malformed
                kind = "binary";
                body = concat(h, bin);
                headers = new String[] {"Inference-Header-Content-Length", len};
            }
            case 9 -> { // the body is shorter than Content-Length says: the server sees end of stream mid-body
                byte[] b = good.getBytes(StandardCharsets.UTF_8);
                kind = "short-body";
                body = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
                declared = b.length;
                mayDrop = true;
            }
            case 10 -> { // a huge declared size: refused before reading
                kind = "huge-length";
                body = good.getBytes(StandardCharsets.UTF_8);
                declared = new long[] {1L << 20, 1L << 31, 1L << 40, Long.MAX_VALUE}[rnd.nextInt(4)];
                mayDrop = true;
            }
            case 11 -> { // unknown models, versions, routes
                String[] paths = {"/v2/models/nope/infer", "/v2/models/tiny/versions/9/infer", "/v2/models/tiny/versions/x/infer",
                        "/v2/models//infer", "/v2/models/tiny/infer/extra", "/v2/models/%00/infer", "/v2/models/tiny/versions/-1/infer",
                        "/v2/models/" + "a".repeat(300) + "/infer"};
                kind = "route";
                path = paths[rnd.nextInt(paths.length)];
                body = good.getBytes(StandardCharsets.UTF_8);
            }
            case 12 -> { // elements beyond the server's per-tensor limit (4096)
                kind = "too-many-elements";
                body = good.replace("[" + rows + ",4]", "[" + (2048 + rnd.nextInt(1 << 20)) + ",4]").getBytes(StandardCharsets.UTF_8);
            }
            default -> { // not JSON at all, or deeply nested
                String[] variants = {"", "[]", "null", "\"x\"", "[".repeat(5000), "{\"inputs\":" + "[".repeat(3000)};
                kind = "not-json";
                body = variants[rnd.nextInt(variants.length)].getBytes(StandardCharsets.UTF_8);
            }
        }
        byte[] raw = post(path, body, declared < 0 ? body.length : declared, headers);
        Answer a = exchange(raw, mayDrop, where + " [" + kind + "]");
        int s = a.status;
        boolean ok = s == -1 || s == 200 || (s >= 400 && s < 500) || s == 503;
        assertTrue(ok, where + " [" + kind + "]: status " + s + ": " + new String(a.body, StandardCharsets.UTF_8));
        outcomes.merge("http " + (s == -1 ? "closed" : Integer.toString(s)), 1, Integer::sum);
    }

    // ---------------------------------------------------------------- gRPC

    private static ModelInferRequest grpcRequest(float[] x, int rows, boolean raw) {
        ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                .addShape(rows).addShape(4);
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName("tiny").setId("f");
        if (raw) {
            b.addInputs(in).addRawInputContents(com.google.protobuf.ByteString.copyFrom(le(x)));
        } else {
            InferTensorContents.Builder c = InferTensorContents.newBuilder();
            for (float v : x) c.addFp32Contents(v);
            b.addInputs(in.setContents(c));
        }
        return b.build();
    }

    private byte[] callGrpc(byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, MODEL_INFER,
                CallOptions.DEFAULT.withDeadlineAfter(GUARD_MILLIS, TimeUnit.MILLISECONDS), request);
    }

    private float[] validGrpc(float[] x, int rows, boolean raw, String where) throws Exception {
        ModelInferResponse r = ModelInferResponse.parseFrom(callGrpc(grpcRequest(x, rows, raw).toByteArray()));
        assertEquals(java.util.List.of((long) rows, 3L), r.getOutputs(0).getShapeList(), where);
        if (r.getRawOutputContentsCount() > 0) {
            float[] f = new float[rows * 3];
            r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
        float[] f = new float[r.getOutputs(0).getContents().getFp32ContentsCount()];
        for (int j = 0; j < f.length; j++) f[j] = r.getOutputs(0).getContents().getFp32Contents(j);
        return f;
    }

    private void malformedGrpc(float[] x, int rows, Random rnd, String where) {
        ModelInferRequest good = grpcRequest(x, rows, rnd.nextBoolean());
        ModelInferRequest.Builder b = good.toBuilder();
        ModelInferRequest.InferInputTensor.Builder in = b.getInputsBuilder(0);
        byte[] bytes;
        String kind;
        switch (rnd.nextInt(9)) {
            case 0 -> {
                kind = "shape";
                in.clearShape();
                long[][] shapes = {{rows, 5}, {rows + 1, 4}, {-rows, 4}, {rows}, {}, {Long.MAX_VALUE, 4}, {1L << 32, 4}, {0, 4}, {rows, 4, 1}};
                for (long d : shapes[rnd.nextInt(shapes.length)]) in.addShape(d);
                bytes = b.build().toByteArray();
            }
            case 1 -> {
                kind = "datatype";
                in.setDatatype(DATATYPES[rnd.nextInt(DATATYPES.length)]);
                bytes = b.build().toByteArray();
            }
            case 2 -> {
                kind = "name-count";
                switch (rnd.nextInt(5)) {
                    case 0 -> in.setName("nope");
                    case 1 -> b.clearInputs();
                    case 2 -> b.addInputs(in.build());
                    case 3 -> b.setModelName(rnd.nextBoolean() ? "nope" : "");
                    default -> b.setModelVersion(rnd.nextBoolean() ? "9" : "x");
                }
                bytes = b.build().toByteArray();
            }
            case 3 -> { // contents of the wrong length, type or both raw and typed
                kind = "contents";
                switch (rnd.nextInt(5)) {
                    case 0 -> in.setContents(InferTensorContents.newBuilder().addFp32Contents(1f));
                    case 1 -> in.setContents(InferTensorContents.newBuilder().addInt64Contents(1).addInt64Contents(2));
                    case 2 -> b.addRawInputContents(com.google.protobuf.ByteString.copyFrom(new byte[rnd.nextInt(64)]));
                    case 3 -> b.clearRawInputContents().clearInputs().addInputs(in.clearContents());
                    default -> b.clearRawInputContents().addRawInputContents(
                            com.google.protobuf.ByteString.copyFrom(new byte[4 * x.length + 1 + rnd.nextInt(7)]));
                }
                bytes = b.build().toByteArray();
            }
            case 4 -> { // outputs that do not exist
                kind = "outputs";
                b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(rnd.nextBoolean() ? "nope" : ""));
                bytes = b.build().toByteArray();
            }
            case 5 -> { // truncated protobuf
                kind = "truncated";
                byte[] g = good.toByteArray();
                bytes = java.util.Arrays.copyOf(g, rnd.nextInt(g.length));
            }
            case 6 -> { // corrupted protobuf bytes
                kind = "bytes";
                bytes = good.toByteArray();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
            }
            case 7 -> { // an unknown field with a huge declared length, or wire garbage appended
                kind = "bad-field";
                byte[] g = good.toByteArray();
                byte[][] tails = {{(byte) 0xfa, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, {(byte) 0xff, (byte) 0xff},
                        {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, {0x07}};
                bytes = concat(g, tails[rnd.nextInt(tails.length)]);
            }
            default -> { // elements beyond the per-tensor limit
                kind = "too-many-elements";
                in.clearShape().addShape(2048 + rnd.nextInt(1 << 20)).addShape(4);
                bytes = b.build().toByteArray();
            }
        }
        String code;
        try {
            callGrpc(bytes);
            code = "OK";
        } catch (StatusRuntimeException e) {
            Status.Code c = e.getStatus().getCode();
            assertTrue(c != Status.Code.INTERNAL && c != Status.Code.UNKNOWN && c != Status.Code.DATA_LOSS,
                    where + " [grpc " + kind + "]: " + e.getStatus());
            assertTrue(c != Status.Code.DEADLINE_EXCEEDED, where + " [grpc " + kind + "]: no answer within " + GUARD_MILLIS + " ms (hang)");
            code = c.name();
        }
        outcomes.merge("grpc " + code, 1, Integer::sum);
    }
}
