package org.sinter.serve.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sinter.serve.DataType;
import org.sinter.serve.TestRepository;

class ModelConfigTest {
    private static ModelConfig parse(String json) throws Exception {
        return ModelConfig.parse("tiny", new ObjectMapper().readTree(json));
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsTheTritonStyleKeys() throws Exception {
        ModelConfig c = parse(TestRepository.TINY_CONFIG);
        assertEquals("sinter", c.platform());
        assertEquals(8, c.maxBatchSize());
        assertEquals(new TensorConfig("x", DataType.FP32, new int[] {4}), c.inputs().getFirst());
        assertEquals(100, c.dynamicBatching().maxQueueDelayMicros());
        assertEquals(64, c.dynamicBatching().maxQueueSize());
        assertEquals(2, c.instanceCount());
        assertEquals(new VersionPolicy.Latest(2), c.versionPolicy());
    }

    @Test
    void paddingIsReadAndNeedsOutputsOfFixedShape() throws Exception {
        String padded = TestRepository.TINY_CONFIG.replace("\"shape\": [4]", "\"shape\": [-1]")
                .replace("\"max_queue_size\": 64}", "\"max_queue_size\": 64, \"pad_variable_length_inputs\": true, \"pad_value\": -1}");
        DynamicBatching db = parse(padded).dynamicBatching();
        assertTrue(db.padVariableLengthInputs());
        assertEquals(-1.0, db.padValue());
        assertTrue(!parse(TestRepository.TINY_CONFIG).dynamicBatching().padVariableLengthInputs());
        assertTrue(error(padded.replace("\"shape\": [3]", "\"shape\": [-1]")).contains("needs outputs of fixed shape; output y"));
        assertTrue(error(padded.replace("\"pad_variable_length_inputs\": true", "\"pad_variable_length_inputs\": \"yes\""))
                .contains("dynamic_batching.pad_variable_length_inputs must be true or false"));
        assertTrue(error(padded.replace("\"pad_variable_length_inputs\": true", "\"pad_variable_length_inputs\": false"))
                .contains("pad_value needs pad_variable_length_inputs"));
    }

    @Test
    void errorsNameTheKey() {
        assertTrue(error("{\"platform\": \"tensorflow\"}").contains("platform 'tensorflow'"));
        assertTrue(error(TestRepository.TINY_CONFIG.replace("\"FP32\", \"shape\": [4]", "\"FP17\", \"shape\": [4]")).contains("input[0].datatype"));
        assertTrue(error(TestRepository.TINY_CONFIG.replace("[4]", "[0]")).contains("input[0].shape[0]"));
        assertTrue(error(TestRepository.TINY_CONFIG.replace("\"instance_count\": 2", "\"instance_count\": \"two\"")).contains("instance_count"));
        assertTrue(error(TestRepository.TINY_CONFIG.replace("\"instance_count\"", "\"instances\"")).contains("unknown key 'instances'"));
        assertTrue(error(TestRepository.TINY_CONFIG.replace("\"max_batch_size\": 8", "\"max_batch_size\": 0")).contains("dynamic_batching needs max_batch_size"));
    }

    @Test
    void versionPoliciesPickTheirVersions() throws Exception {
        TreeSet<Long> present = new TreeSet<>(List.of(1L, 2L, 5L, 7L));
        assertEquals(new TreeSet<>(List.of(5L, 7L)), new VersionPolicy.Latest(2).select(present));
        assertEquals(new TreeSet<>(List.of(2L)), new VersionPolicy.Specific(List.of(2L, 3L)).select(present));
        assertEquals(present, new VersionPolicy.All().select(present));
        ModelConfig c = parse(TestRepository.TINY_CONFIG.replace("{\"latest\": {\"num_versions\": 2}}", "{\"specific\": {\"versions\": [1, 5]}}"));
        assertEquals(new VersionPolicy.Specific(List.of(1L, 5L)), c.versionPolicy());
        assertTrue(error(TestRepository.TINY_CONFIG.replace("{\"latest\": {\"num_versions\": 2}}", "{\"newest\": {}}")).contains("version_policy"));
    }
}
