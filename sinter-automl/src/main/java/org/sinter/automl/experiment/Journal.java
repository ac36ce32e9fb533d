package org.sinter.automl.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.io.AtomicFiles;

/**
 * The experiment's durable record: one JSON object per line, appended and forced to disk before
 * the experiment acts on it. A record is atomic in the only sense a reader needs: a crash can
 * leave at most the last line torn (no final newline, or not valid JSON), and opening the journal
 * cuts such a tail off, so every record read back was completely written. Rewriting the whole file
 * through {@link AtomicFiles} per record would also be atomic but costs O(n²) bytes over an
 * experiment with thousands of intermediate results; an append is one write and one fsync.
 */
final class Journal implements Closeable {
    private final FileChannel channel;
    private final List<JsonNode> records;
    private boolean closed;

    private Journal(FileChannel channel, List<JsonNode> records) {
        this.channel = channel;
        this.records = records;
    }

    static Journal open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) AtomicFiles.syncDirectory(dir); // the new file's name must survive a power loss too
        byte[] bytes = Files.readAllBytes(file);
        List<JsonNode> records = new ArrayList<>();
        int start = 0, lineNumber = 0;
        long intact = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            lineNumber++;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            try {
                records.add(SearchSpaceJson.MAPPER.readTree(line));
            } catch (JsonProcessingException e) {
                boolean last = i == bytes.length - 1;
                if (!last) {
                    channel.close();
                    throw new IOException(file + ": line " + lineNumber + " is not a JSON record (" + e.getOriginalMessage()
                            + "); only the last line of a journal can be torn by a crash");
                }
                break;
            }
            intact = i + 1;
            start = i + 1;
        }
        if (intact < bytes.length) {
            channel.truncate(intact);
            channel.force(true);
        }
        channel.position(intact);
        return new Journal(channel, records);
    }

    /** The records read when the journal was opened. */
    List<JsonNode> records() { return List.copyOf(records); }

    synchronized void append(ObjectNode record) throws IOException {
        if (closed) throw new IOException("the experiment journal is closed");
        byte[] line = (SearchSpaceJson.MAPPER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) channel.write(buffer);
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        channel.close();
    }
}
