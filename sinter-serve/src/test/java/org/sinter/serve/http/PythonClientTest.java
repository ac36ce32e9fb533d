package org.sinter.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/** A client written with Python's standard library alone speaks the protocol to the server. */
class PythonClientTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void standardLibraryClientSpeaksTheProtocol(@TempDir Path root) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs /usr/bin/python3");
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        float[][] rows = {{1, 2, 3, 4}, {-0.5f, 0.25f, 8, -2}, {0, 0, 0, 1}};
        float[] flat = new float[12];
        for (int i = 0; i < 3; i++) System.arraycopy(rows[i], 0, flat, 4 * i, 4);
        float[] out;
        try (var _ = Sinter.noGrad()) {
            out = TestRepository.tiny(1).forward(Tensor.of(flat, 3, 4)).toFloatArray();
        }
        float[][] outRows = new float[3][3];
        for (int i = 0; i < 3; i++) System.arraycopy(out, 3 * i, outRows[i], 0, 3);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("model", "tiny");
        expected.put("input", rows);
        expected.put("output", outRows);
        Path file = root.resolve("expected.json");
        new ObjectMapper().writeValue(file.toFile(), expected);

        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start()) {
                Process p = new ProcessBuilder(PYTHON.toString(), Path.of("src/test/python/oip_client.py").toAbsolutePath().toString(),
                        "http://127.0.0.1:" + server.port(), file.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
                System.out.println(log);
                assertEquals(0, p.exitValue(), log);
            }
        }
    }
}
