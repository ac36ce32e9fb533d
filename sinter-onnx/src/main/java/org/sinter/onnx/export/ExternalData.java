package org.sinter.onnx.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.sinter.io.AtomicFiles;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
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

    /**
     * The model with its large initializers (of the main graph and of every sub-graph: branches and
     * loop bodies) moved to the data file (written atomically), or the model itself when their
     * bytes are under {@code threshold}.
     */
    static ModelProto split(ModelProto model, Path path, long threshold) throws IOException {
        if (bytes(model.getGraph()) <= threshold) return model;
        Moved moved = new Moved(path.getFileName() + ".data");
        GraphProto g = moveOut(model.getGraph(), moved);
        AtomicFiles.write(path.resolveSibling(moved.location), ch -> {
            for (int i = 0; i < moved.tensors.size(); i++) {
                ByteBuffer b = moved.tensors.get(i).getRawData().asReadOnlyByteBuffer();
                long at = moved.offsets.get(i);
                while (b.hasRemaining()) at += ch.write(b, at);
            }
        });
        return model.toBuilder().setGraph(g).build();
    }

    /** What went to the data file, where, and the next free offset. */
    private static final class Moved {
        final String location;
        final java.util.List<TensorProto> tensors = new java.util.ArrayList<>();
        final java.util.List<Long> offsets = new java.util.ArrayList<>();
        long offset;

        Moved(String location) { this.location = location; }
    }

    /** Initializer bytes of {@code g} and its sub-graphs. */
    private static long bytes(GraphProto g) {
        long total = 0;
        for (TensorProto t : g.getInitializerList()) total += t.getRawData().size();
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) total += bytes(a.getG());
                for (GraphProto s : a.getGraphsList()) total += bytes(s);
            }
        }
        return total;
    }

    private static GraphProto moveOut(GraphProto graph, Moved moved) {
        GraphProto.Builder g = graph.toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            int n = t.getRawData().size();
            if (n < MIN_EXTERNAL_BYTES) continue;
            moved.tensors.add(t);
            moved.offsets.add(moved.offset);
            g.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", moved.location)).addExternalData(entry("offset", Long.toString(moved.offset)))
                    .addExternalData(entry("length", Integer.toString(n))));
            moved.offset = (moved.offset + n + ALIGN - 1) / ALIGN * ALIGN;
        }
        for (int k = 0; k < g.getNodeCount(); k++) {
            NodeProto n = g.getNode(k);
            for (int a = 0; a < n.getAttributeCount(); a++) {
                AttributeProto attr = n.getAttribute(a);
                if (!attr.hasG() && attr.getGraphsCount() == 0) continue;
                AttributeProto.Builder ab = attr.toBuilder();
                if (attr.hasG()) ab.setG(moveOut(attr.getG(), moved));
                for (int j = 0; j < attr.getGraphsCount(); j++) ab.setGraphs(j, moveOut(attr.getGraphs(j), moved));
                g.getNodeBuilder(k).setAttribute(a, ab);
            }
        }
        return g.build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
