package org.sinter.compiler.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sinter.io.AtomicFiles;

/**
 * Every allocation and free of one run, in program order: what {@code --alloc-log} writes and
 * what {@link AllocatorSimulator} replays. The text form is one event per line:
 *
 * <pre>
 * # sinter-alloc-log v1
 * alloc 0 1382400 float32[64,32,26,26]:conv2d
 * alloc 1 256 float32[64]:sum
 * free 1
 * free 0
 * </pre>
 *
 * The first line must be the header; other lines starting with {@code #} and blank lines are
 * comments. An id names one live allocation; it may be reused once freed (so logs keyed by
 * address also read). The tag is free text without spaces, kept for people reading the log.
 * Allocations still live at the end are fine: parameters usually are.
 */
public record AllocationLog(List<Event> events) {
    public static final String HEADER = "# sinter-alloc-log v1";

    /** One line of the log. */
    public sealed interface Event permits Alloc, Free {
        long id();
    }

    public record Alloc(long id, long bytes, String tag) implements Event {
        public Alloc {
            if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes + " for allocation " + id);
            if (tag.isEmpty() || tag.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("tag must be non-empty text without spaces: '" + tag + "'");
            }
        }
    }

    public record Free(long id) implements Event {}

    /** Checks the events in order: no id allocated while live, none freed unless live. */
    public AllocationLog {
        events = List.copyOf(events);
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String problem = apply(live, events.get(i));
            if (problem != null) throw new IllegalArgumentException("event " + i + ": " + problem);
        }
    }

    /** Updates the live set by one event; returns what is wrong with it, or null. */
    private static String apply(Set<Long> live, Event e) {
        return switch (e) {
            case Alloc a -> live.add(a.id()) ? null : "id " + a.id() + " is allocated again while still live";
            case Free f -> live.remove(f.id()) ? null : "id " + f.id() + " is freed but not live (never allocated, or freed twice)";
        };
    }

    public int allocationCount() {
        return (int) events.stream().filter(e -> e instanceof Alloc).count();
    }

    // ---------------------------------------------------------------- text form

    public String format() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Event e : events) {
            switch (e) {
                case Alloc a -> sb.append("alloc ").append(a.id()).append(' ').append(a.bytes()).append(' ').append(a.tag());
                case Free f -> sb.append("free ").append(f.id());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes the text form atomically: readers never see half a log. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, format().getBytes(StandardCharsets.UTF_8));
    }

    public static AllocationLog read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses the text form. Errors name {@code source} and the 1-based line, e.g.
     * {@code step.log:7: id 3 is freed but not live}.
     */
    public static AllocationLog parse(String text, String source) {
        String[] lines = text.split("\r?\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw new IllegalArgumentException(source + ":1: expected header '" + HEADER + "', found '"
                    + (lines.length == 0 ? "" : lines[0].strip()) + "'");
        }
        List<Event> events = new ArrayList<>();
        Set<Long> live = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = source + ":" + (i + 1) + ": ";
            Event e;
            try {
                e = parseEvent(line.split("\\s+"));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ex.getMessage(), ex);
            }
            String problem = apply(live, e);
            if (problem != null) throw new IllegalArgumentException(where + problem);
            events.add(e);
        }
        return new AllocationLog(events);
    }

    private static Event parseEvent(String[] words) {
        return switch (words[0]) {
            case "alloc" -> {
                if (words.length != 4) throw new IllegalArgumentException("expected 'alloc <id> <bytes> <tag>'");
                yield new Alloc(number(words[1], "id"), Long.parseLong(check(words[2], "size")), words[3]);
            }
            case "free" -> {
                if (words.length != 2) throw new IllegalArgumentException("expected 'free <id>'");
                yield new Free(number(words[1], "id"));
            }
            default -> throw new IllegalArgumentException("unknown event '" + words[0] + "' (expected alloc or free)");
        };
    }

    private static long number(String word, String what) {
        long n = Long.parseLong(check(word, what));
        if (n < 0) throw new IllegalArgumentException("negative " + what + " " + n);
        return n;
    }

    private static String check(String word, String what) {
        if (!word.matches("-?\\d{1,18}")) throw new IllegalArgumentException("bad " + what + " '" + word + "'");
        return word;
    }

    // ---------------------------------------------------------------- recording

    /**
     * Builds a log while a program runs: the executor calls {@link #alloc} and {@link #free} as it
     * creates and drops buffers. Ids are handed out in order and never reused. Not thread-safe.
     */
    public static final class Recorder {
        private final List<Event> events = new ArrayList<>();
        private final Set<Long> live = new HashSet<>();
        private long nextId;

        public long alloc(long bytes, String tag) {
            long id = nextId++;
            events.add(new Alloc(id, bytes, tag));
            live.add(id);
            return id;
        }

        public void free(long id) {
            if (!live.remove(id)) throw new IllegalArgumentException("id " + id + " is not live");
            events.add(new Free(id));
        }

        public int liveCount() {
            return live.size();
        }

        public AllocationLog toLog() {
            return new AllocationLog(events);
        }
    }
}
