package org.sinter.distributed.ddp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.io.AtomicFiles;

/**
 * Horovod's timeline for DDP: per bucket and iteration, when its gradients were being produced
 * ({@code WAIT_FOR_DATA}: first gradient ready to last), when it was being reduced
 * ({@code ALLREDUCE}: hook started to average ready), and how long backward's end blocked on it
 * ({@code WAIT}). Written in the Chrome trace format (one complete event per phase; process =
 * rank, thread = bucket) that Perfetto and chrome://tracing open.
 */
public final class Timeline {
    private record Event(String phase, int bucket, int iteration, long startNanos, long endNanos) {}

    private final int rank;
    private final long originNanos = System.nanoTime();
    private final List<Event> events = new ArrayList<>();

    Timeline(int rank) {
        this.rank = rank;
    }

    synchronized void record(String phase, int bucket, int iteration, long startNanos, long endNanos) {
        events.add(new Event(phase, bucket, iteration, startNanos, Math.max(startNanos, endNanos)));
    }

    /** Events recorded so far with this phase name. */
    public synchronized long count(String phase) {
        return events.stream().filter(e -> e.phase.equals(phase)).count();
    }

    /** Writes the trace atomically. */
    public void writeChromeTrace(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\"traceEvents\": [\n");
        sb.append(String.format(Locale.ROOT, "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %d, \"args\": {\"name\": \"rank %d\"}}", rank, rank));
        List<Event> copy;
        synchronized (this) {
            copy = List.copyOf(events);
        }
        for (Event e : copy) {
            sb.append(String.format(Locale.ROOT,
                    ",\n{\"name\": \"%s\", \"ph\": \"X\", \"pid\": %d, \"tid\": %d, \"ts\": %.3f, \"dur\": %.3f, \"args\": {\"bucket\": %d, \"iteration\": %d}}",
                    e.phase, rank, e.bucket, (e.startNanos - originNanos) / 1e3, (e.endNanos - e.startNanos) / 1e3, e.bucket, e.iteration));
        }
        sb.append("\n]}\n");
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
