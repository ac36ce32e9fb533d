package org.sinter.onnx.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.sinter.io.AtomicFiles;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.StringStringEntryProto;
import org.sinter.onnx.proto.Onnx.TensorProto;

/**
 * ONNX's external data: when a model's weights pass a size, the large initializers move to one
 * file beside the model ({@code <model file>.data}), each named by location, offset and length,
 * so the protobuf stays under its 2 GiB limit. Offsets are aligned to 4 KiB, as ONNX's own
 * writer does, so a reader may map them.
 */
final class ExternalData {
    /** Initializers smaller than this stay inline (shapes, scalars, biases): moving them gains nothing. */
    static final int MIN_EXTERNAL_BYTES = 1024;
    private static final int ALIGN = 4096;

    private ExternalData() {}

    /** The model with its large initializers moved to the data file (written atomically), or the model itself when under {@code threshold}. */
    static ModelProto split(ModelProto model, Path path, long threshold) throws IOException {
        long total = 0;
        for (TensorProto t : model.getGraph().getInitializerList()) total += t.getRawData().size();
        if (total <= threshold) return model;
        String location = path.getFileName() + ".data";
        GraphProto.Builder g = model.getGraph().toBuilder();
        long offset = 0;
        java.util.List<TensorProto> moved = new java.util.ArrayList<>();
        java.util.List<Long> offsets = new java.util.ArrayList<>();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            int n = t.getRawData().size();
            if (n < MIN_EXTERNAL_BYTES) continue;
            moved.add(t);
            offsets.add(offset);
            g.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", location)).addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Integer.toString(n))));
            offset = (offset + n + ALIGN - 1) / ALIGN * ALIGN;
        }
        AtomicFiles.write(path.resolveSibling(location), ch -> {
            for (int i = 0; i < moved.size(); i++) {
                ByteBuffer b = moved.get(i).getRawData().asReadOnlyByteBuffer();
                long at = offsets.get(i);
                while (b.hasRemaining()) at += ch.write(b, at);
            }
        });
        return model.toBuilder().setGraph(g).build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
