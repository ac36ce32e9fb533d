package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One holder at a time; the holder's pid in the refusal; free again once released. */
class DirectoryLockTest {
    @Test
    void secondAcquireIsRefusedNamingTheHolder(@TempDir Path dir) throws Exception {
        try (DirectoryLock first = DirectoryLock.acquire(dir.resolve("run"))) {
            assertTrue(first.isValid());
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(dir.resolve("run/.lock")).strip());
            var e = assertThrows(DirectoryLock.HeldException.class, () -> DirectoryLock.acquire(dir.resolve("run")));
            assertEquals(Long.toString(ProcessHandle.current().pid()), e.pid());
            assertTrue(e.getMessage().contains("in use by another process (pid "), e.getMessage());
        }
        try (DirectoryLock again = DirectoryLock.acquire(dir.resolve("run"))) {
            assertTrue(again.isValid());
        }
    }
}
