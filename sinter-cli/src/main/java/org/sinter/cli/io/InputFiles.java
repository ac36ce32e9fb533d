package org.sinter.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The one way the command line opens a file it reads (model file, checkpoint, image, text, data
 * directory): it checks, before reading a byte, that the path exists, is a regular file (a FIFO
 * would block forever, {@code /dev/zero} would never end), is readable and is not larger than the
 * kind of file can be; and every message names the option and the file.
 */
public final class InputFiles {
    private InputFiles() {}

    /** Size limits per kind of file: far above real ones, far below what would exhaust the heap. */
    public static final long MODEL_LIMIT = 2L << 30, IMAGE_LIMIT = 64L << 20, TEXT_LIMIT = 64L << 20, DATA_LIMIT = 1L << 30;

    /**
     * Checks {@code file} as described above and returns it.
     *
     * @param what how the user named it, e.g. "--model-file" or "checkpoint"
     */
    public static Path regularFile(Path file, String what, long maxBytes) throws IOException {
        BasicFileAttributes a = attributes(file, what);
        if (a.isDirectory()) throw new InputFileException(what + " " + file + ": is a directory, expected a file");
        if (!a.isRegularFile()) {
            throw new InputFileException(what + " " + file + ": is not a regular file (a FIFO, device or socket); give a file");
        }
        if (!Files.isReadable(file)) throw new InputFileException(what + " " + file + ": permission denied");
        if (a.size() > maxBytes) {
            throw new InputFileException(what + " " + file + ": is " + bytes(a.size()) + ", more than the " + bytes(maxBytes)
                    + " a " + what.replaceFirst("^--", "") + " may be");
        }
        return file;
    }

    /** Checks that {@code dir} exists and is a readable directory, and returns it. */
    public static Path directory(Path dir, String what) throws IOException {
        BasicFileAttributes a = attributes(dir, what);
        if (!a.isDirectory()) throw new InputFileException(what + " " + dir + ": is not a directory");
        if (!Files.isReadable(dir)) throw new InputFileException(what + " " + dir + ": permission denied");
        return dir;
    }

    /** Opens a checked file for reading. */
    public static InputStream open(Path file, String what, long maxBytes) throws IOException {
        return Files.newInputStream(regularFile(file, what, maxBytes));
    }

    private static BasicFileAttributes attributes(Path p, String what) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
            throw new InputFileException(what + " " + p + ": no such file or directory");
        }
        if (!Files.exists(p)) throw new InputFileException(what + " " + p + ": is a broken symbolic link");
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new InputFileException(what + " " + p + ": cannot read its attributes: " + e.getMessage());
        }
    }

    static String bytes(long n) {
        if (n < 1024) return n + " bytes";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
