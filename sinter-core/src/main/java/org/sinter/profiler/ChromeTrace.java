package org.sinter.profiler;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.sinter.io.AtomicFiles;

/**
 * Writes profiler events in the Chrome Trace Event format (JSON object form) that Perfetto and
 * chrome://tracing open: one complete event ({@code "ph": "X"}) per interval with {@code ts} and
 * {@code dur} in microseconds, {@code pid}/{@code tid}, and the input shapes and allocated bytes
 * in {@code args}; metadata events name the process and thread.
 */
final class ChromeTrace {
    private ChromeTrace() {}

    /** Writes the trace through {@link AtomicFiles} (atomic, synced, and with the umask's permissions like the run's other files). */
    static void write(List<ProfilerEvent> events, Path file) throws IOException {
        AtomicFiles.write(file, ch -> {
            // Flushed, not closed: AtomicFiles still forces and closes the channel.
            Writer w = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8));
            write(events, w);
            w.flush();
        });
    }

    static void write(List<ProfilerEvent> events, Writer w) throws IOException {
        long pid = ProcessHandle.current().pid();
        List<ProfilerEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(ProfilerEvent::startNs).thenComparingInt(ProfilerEvent::depth));
        w.write("{\"traceEvents\": [\n");
        w.write("  {\"name\": \"process_name\", \"ph\": \"M\", \"pid\": " + pid + ", \"tid\": 0, \"args\": {\"name\": \"sinter\"}}");
        List<Long> threads = new ArrayList<>();
        for (ProfilerEvent e : sorted) if (!threads.contains(e.threadId())) threads.add(e.threadId());
        for (long tid : threads) {
            w.write(",\n  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": " + pid + ", \"tid\": " + tid
                    + ", \"args\": {\"name\": \"thread " + tid + "\"}}");
        }
        for (ProfilerEvent e : sorted) {
            w.write(",\n  {\"name\": " + quote(e.name()) + ", \"cat\": " + quote(e.kind().category())
                    + ", \"ph\": \"X\", \"ts\": " + micros(e.startNs()) + ", \"dur\": " + micros(e.durationNs())
                    + ", \"pid\": " + pid + ", \"tid\": " + e.threadId() + ", \"args\": {");
            String sep = "";
            if (!e.inputShapes().isEmpty()) {
                w.write("\"Input Shapes\": " + quote(e.inputShapes()));
                sep = ", ";
            }
            w.write(sep + "\"Self Bytes\": " + e.selfBytes() + ", \"Total Bytes\": " + e.totalBytes() + "}}");
        }
        w.write("\n], \"displayTimeUnit\": \"ms\"}\n");
    }

    private static String micros(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e3);
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
