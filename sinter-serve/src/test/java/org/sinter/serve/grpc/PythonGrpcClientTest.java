package org.sinter.serve.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DescriptorProtos;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.grpc.v2.GrpcPredictV2;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/** Python's grpcio and protobuf runtimes (Debian's python3-grpcio) speak the gRPC protocol to the server. */
class PythonGrpcClientTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    static boolean grpcio() {
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import grpc").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void pythonClientSpeaksTheProtocol(@TempDir Path root) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && grpcio(), "needs /usr/bin/python3 with grpcio (Debian: python3-grpcio)");
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        float[][] rows = {{1, 2, 3, 4}, {-0.5f, 0.25f, 8, -2}};
        float[] out;
        try (var _ = Sinter.noGrad()) {
            out = TestRepository.tiny(1).forward(Tensor.of(new float[] {1, 2, 3, 4, -0.5f, 0.25f, 8, -2}, 2, 4)).toFloatArray();
        }
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("model", "tiny");
        expected.put("input", rows);
        expected.put("output", new float[][] {{out[0], out[1], out[2]}, {out[3], out[4], out[5]}});
        Path json = root.resolve("expected.json");
        new ObjectMapper().writeValue(json.toFile(), expected);
        // The client builds its message classes from the protocol's descriptor, not from generated code.
        Path descriptors = root.resolve("grpc_predict_v2.pb");
        Files.write(descriptors, DescriptorProtos.FileDescriptorSet.newBuilder().addFile(GrpcPredictV2.getDescriptor().toProto()).build().toByteArray());

        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer http = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start();
                 GrpcInferenceServer grpc = new GrpcInferenceServer(repo, http.service(), 1 << 20, http::isReady, new InetSocketAddress("127.0.0.1", 0))) {
                Process p = new ProcessBuilder(PYTHON.toString(), Path.of("src/test/python/grpc_client.py").toAbsolutePath().toString(),
                        "127.0.0.1:" + grpc.port(), descriptors.toString(), json.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
                System.out.println(log);
                assertEquals(0, p.exitValue(), log);
            }
        }
    }
}
