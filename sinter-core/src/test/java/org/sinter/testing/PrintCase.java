package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** A PRINT of tools/fixtures/README.md: {@code str(tensor)} as PyTorch prints it. */
public record PrintCase(String id, TensorData input, String text) {

    public static PrintCase parse(JsonNode p) {
        return new PrintCase(p.get("id").asText(), TensorData.parse(p.get("input")), p.get("text").asText());
    }
}
