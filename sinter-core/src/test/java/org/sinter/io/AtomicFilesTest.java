package org.sinter.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Written files get the umask's permissions, like any program's new file, not createTempFile's 0600. */
    @Test
    void writtenFilesHaveThePermissionsOfAPlainNewFile() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "needs a POSIX file system");
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written.bin"), copied = dir.resolve("copied.bin"), snap = dir.resolve("snap.bin");
        AtomicFiles.write(written, new byte[] {1, 2, 3});
        AtomicFiles.write(copied, new ByteArrayInputStream(new byte[] {4}), p -> {});
        AtomicFiles.write(written, new byte[] {5});
        var expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(written));
        assertEquals(expected, Files.getPosixFilePermissions(copied));
        AtomicFiles.snapshot(written, snap);
        assertEquals(expected, Files.getPosixFilePermissions(snap));
        assertArrayEquals(new byte[] {5}, Files.readAllBytes(snap));
        assertEquals(List.of("copied.bin", "plain", "snap.bin", "written.bin"), names());
    }

    /** Writing over a directory names the directory, not the temporary file the rename failed on. */
    @Test
    void targetThatIsADirectoryIsNamed() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("model.safetensors"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(sub, new byte[] {1}));
        assertEquals(sub.toString(), e.getFile());
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        assertThrows(FileSystemException.class, () -> AtomicFiles.snapshot(Files.createFile(dir.resolve("src")), sub));
        assertEquals(List.of("model.safetensors", "src"), names());
    }

    /** A body that fails leaves the target untouched and no temporary file behind. */
    @Test
    void failedWriteLeavesNothing() throws IOException {
        Path target = dir.resolve("log.csv");
        AtomicFiles.write(target, new byte[] {7});
        assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> { throw new IOException("disk full"); }));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
        assertEquals(List.of("log.csv"), names());
    }
}
