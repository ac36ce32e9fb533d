package org.sinter.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.sinter.Tensor;
import org.sinter.serve.config.TensorConfig;

/**
 * The infer response: {@code model_name}, {@code model_version}, {@code id} and the requested outputs,
 * each with JSON {@code data} or, when asked for binary, {@code parameters.binary_data_size} and its
 * bytes after the JSON (then {@code headerLength} is the JSON's length, for the
 * {@code Inference-Header-Content-Length} header).
 */
public record InferResponseWriter(byte[] body, int headerLength) {
    private static final JsonFactory JSON = new JsonFactory();

    public static InferResponseWriter write(InferenceService.Result r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> binary = new ArrayList<>();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model_name", r.version().name());
            g.writeStringField("model_version", Long.toString(r.version().version()));
            if (r.request().id() != null) g.writeStringField("id", r.request().id());
            g.writeArrayFieldStart("outputs");
            for (InferRequest.RequestedOutput o : r.request().outputs()) {
                Tensor t = r.outputs()[o.index()];
                TensorConfig c = r.version().config().outputs().get(o.index());
                g.writeStartObject();
                g.writeStringField("name", o.name());
                if (o.classification() > 0) {
                    Classification k = Classification.of(t, o.classification(), r.version().config().batching(), labels(r));
                    g.writeStringField("datatype", "BYTES");
                    g.writeArrayFieldStart("shape");
                    for (int d : k.shape()) g.writeNumber(d);
                    g.writeEndArray();
                    if (o.binary()) {
                        byte[] bytes = k.toBinary();
                        binary.add(bytes);
                        g.writeObjectFieldStart("parameters");
                        g.writeNumberField("binary_data_size", bytes.length);
                        g.writeEndObject();
                    } else {
                        g.writeArrayFieldStart("data");
                        for (String s : k.strings()) g.writeString(s);
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                    continue;
                }
                g.writeStringField("datatype", c.datatype().name());
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                if (o.binary()) {
                    byte[] bytes = TensorCodec.toBinary(t);
                    binary.add(bytes);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", bytes.length);
                    g.writeEndObject();
                } else {
                    g.writeFieldName("data");
                    TensorCodec.writeJson(g, t);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (binary.isEmpty()) return new InferResponseWriter(out.toByteArray(), -1);
        int header = out.size();
        for (byte[] b : binary) out.writeBytes(b);
        return new InferResponseWriter(out.toByteArray(), header);
    }

    /** The classification extension's labels: the model's {@code image_classifier.labels}, if any. */
    static List<String> labels(InferenceService.Result r) {
        var ic = r.version().config().imageClassifier();
        return ic == null ? List.of() : ic.labels();
    }
}
