package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.compiler.memory.AllocationLog.Alloc;
import org.sinter.compiler.memory.AllocationLog.Free;

/** The log's text form: what parses, what is refused and with which line, and round trips. */
class AllocationLogTest {
    private static final String SAMPLE = """
            # sinter-alloc-log v1
            # a comment, then a blank line

            alloc 0 1382400 float32[64,32,26,26]:conv2d
            alloc 1 256 float32[64]:sum
            free 1
            alloc 1 0 float32[0]:empty
            free 0
            """;

    private static String errorOf(String text) {
        return assertThrows(IllegalArgumentException.class, () -> AllocationLog.parse(text, "t.log")).getMessage();
    }

    @Test
    void parsesEventsInOrderSkippingCommentsAndAllowsIdReuseAfterFree() {
        AllocationLog log = AllocationLog.parse(SAMPLE, "t.log");
        assertEquals(List.of(new Alloc(0, 1382400, "float32[64,32,26,26]:conv2d"), new Alloc(1, 256, "float32[64]:sum"),
                new Free(1), new Alloc(1, 0, "float32[0]:empty"), new Free(0)), log.events());
        assertEquals(3, log.allocationCount());
    }

    @Test
    void formatParsesBackToTheSameLog() {
        AllocationLog log = AllocationLog.parse(SAMPLE, "t.log");
        String text = log.format();
        assertTrue(text.startsWith(AllocationLog.HEADER + "\n"));
        assertEquals(log, AllocationLog.parse(text, "again"));
    }

    @Test
    void writeIsAtomicAndReadsBack(@TempDir Path dir) throws IOException {
        AllocationLog log = AllocationLog.parse(SAMPLE, "t.log");
        Path file = dir.resolve("step.log");
        log.write(file);
        assertEquals(log, AllocationLog.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void errorsNameTheLine() {
        String h = AllocationLog.HEADER + "\n";
        assertEquals("t.log:1: expected header '# sinter-alloc-log v1', found 'alloc 0 8 x'", errorOf("alloc 0 8 x\n"));
        assertEquals("t.log:1: expected header '# sinter-alloc-log v1', found '# sinter-alloc-log v2'", errorOf("# sinter-alloc-log v2\n"));
        assertEquals("t.log:3: id 7 is freed but not live (never allocated, or freed twice)", errorOf(h + "alloc 0 8 x\nfree 7\n"));
        assertEquals("t.log:4: id 0 is freed but not live (never allocated, or freed twice)", errorOf(h + "alloc 0 8 x\nfree 0\nfree 0\n"));
        assertEquals("t.log:3: id 0 is allocated again while still live", errorOf(h + "alloc 0 8 x\nalloc 0 16 y\n"));
        assertEquals("t.log:2: negative size -8 for allocation 0", errorOf(h + "alloc 0 -8 x\n"));
        assertEquals("t.log:2: bad size '8k'", errorOf(h + "alloc 0 8k x\n"));
        assertEquals("t.log:2: negative id -1", errorOf(h + "free -1\n"));
        assertEquals("t.log:2: expected 'alloc <id> <bytes> <tag>'", errorOf(h + "alloc 0 8\n"));
        assertEquals("t.log:2: expected 'alloc <id> <bytes> <tag>'", errorOf(h + "alloc 0 8 two words\n"));
        assertEquals("t.log:2: unknown event 'malloc' (expected alloc or free)", errorOf(h + "malloc 0 8 x\n"));
    }

    @Test
    void recorderHandsOutFreshIdsAndRefusesUnknownFrees() {
        var rec = new AllocationLog.Recorder();
        long a = rec.alloc(100, "float32[25]:add");
        long b = rec.alloc(200, "float32[50]:mul");
        rec.free(a);
        assertEquals(1, rec.liveCount());
        assertThrows(IllegalArgumentException.class, () -> rec.free(a));
        assertThrows(IllegalArgumentException.class, () -> rec.alloc(1, "has space"));
        assertEquals(List.of(new Alloc(0, 100, "float32[25]:add"), new Alloc(1, 200, "float32[50]:mul"), new Free(0)),
                rec.toLog().events());
        rec.free(b);
        assertEquals(4, rec.toLog().events().size());
    }

    @Test
    void constructedLogsAreCheckedToo() {
        assertThrows(IllegalArgumentException.class, () -> new AllocationLog(List.of(new Free(3))));
    }
}
