package org.sinter.serve.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sinter.serve.TestRepository;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.http.InferRequest;
import org.sinter.serve.http.InferRequestParser;

/** {@code sinter perf --binary}: the request it builds is the JSON one's inputs, read the same by the server's parser. */
class InferBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBinaryBodyCarriesTheSameInputsAsTheJsonOne() throws Exception {
        ModelConfig config = ModelConfig.parse("tiny", JSON.readTree(TestRepository.TINY_CONFIG));
        String json = """
                {"id": "r1", "inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 4],
                  "data": [[0.5, -1.25, 3e-3, 7], [1, 2, 3, 4.125]]}]}""";
        InferBody body = InferBody.binary(json.getBytes(StandardCharsets.UTF_8));
        assertTrue(body.isBinary());
        // Two rows of four floats after the header, and nothing else.
        assertEquals(body.headerLength() + 8 * 4, body.bytes().length);
        JsonNode header = JSON.readTree(Arrays.copyOf(body.bytes(), body.headerLength()));
        assertEquals(32, header.at("/inputs/0/parameters/binary_data_size").asInt(), header.toString());
        assertTrue(header.at("/inputs/0/data").isMissingNode(), header.toString());
        assertTrue(header.at("/parameters/binary_data_output").asBoolean(), header.toString());
        assertEquals("r1", header.get("id").asText());

        InferRequestParser parser = new InferRequestParser(1 << 20);
        InferRequest fromJson = parser.parse(json.getBytes(StandardCharsets.UTF_8), -1, config);
        InferRequest fromBinary = parser.parse(body.bytes(), body.headerLength(), config);
        assertArrayEquals(fromJson.inputs()[0].shape(), fromBinary.inputs()[0].shape());
        assertArrayEquals(fromJson.inputs()[0].toFloatArray(), fromBinary.inputs()[0].toFloatArray(), 0f);
        assertTrue(fromBinary.outputs().getFirst().binary(), "outputs are asked for in binary");

        URI infer = URI.create("http://127.0.0.1:8000/v2/models/tiny/infer");
        String head = new String(body.request(infer), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("POST /v2/models/tiny/infer HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/octet-stream\r\n"
                + "Inference-Header-Content-Length: " + body.headerLength() + "\r\nContent-Length: " + body.bytes().length + "\r\n\r\n"), head);
        assertEquals(-1, InferBody.json(json.getBytes(StandardCharsets.UTF_8)).headerLength());
    }

    @Test
    void refusesARequestItCannotMoveToBinary() {
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class, () -> InferBody.binary(
                "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1]}]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(noData.getMessage().contains("inputs[0] has no data"), noData.getMessage());
        IllegalArgumentException badType = assertThrows(IllegalArgumentException.class, () -> InferBody.binary(
                "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP16\", \"shape\": [1], \"data\": [1]}]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(badType.getMessage().contains("inputs[0].datatype"), badType.getMessage());
        RuntimeException shortData = assertThrows(RuntimeException.class, () -> InferBody.binary(
                "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [3], \"data\": [1, 2]}]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(shortData.getMessage().contains("inputs[0].data"), shortData.getMessage());
    }
}
