package org.sinter.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads a user's UTF-8 text file (gzip when it ends in .gz), checked by {@link InputFiles}, naming the byte where decoding fails. */
public final class TextFiles {
    private TextFiles() {}

    public static String readUtf8(Path file, String what) throws IOException {
        byte[] bytes;
        if (file.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(InputFiles.open(file, what, InputFiles.TEXT_LIMIT))) {
                // The limit holds for the decompressed text too: a small gzip can expand without bound.
                bytes = in.readNBytes((int) InputFiles.TEXT_LIMIT + 1);
            } catch (java.util.zip.ZipException e) {
                throw new InputFileException(what + " " + file + ": not a gzip file (" + e.getMessage() + ")", e);
            }
            if (bytes.length > InputFiles.TEXT_LIMIT) {
                throw new InputFileException(what + " " + file + ": decompresses to more than " + InputFiles.bytes(InputFiles.TEXT_LIMIT));
            }
        } else {
            bytes = Files.readAllBytes(InputFiles.regularFile(file, what, InputFiles.TEXT_LIMIT));
        }
        return decode(bytes, file, what);
    }

    static String decode(byte[] bytes, Path file, String what) throws IOException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isUnderflow()) r = d.flush(out);
        if (r.isError()) {
            int at = in.position();
            throw new InputFileException(String.format(java.util.Locale.ROOT,
                    "%s %s: not UTF-8 text: invalid byte 0x%02X at byte offset %d", what, file, bytes[at] & 0xff, at));
        }
        return out.flip().toString();
    }
}
