package org.sinter.cli.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads an image file the user gave, checked by {@link InputFiles}, with messages that name it and say why it failed. */
public final class Images {
    private Images() {}

    public static BufferedImage read(Path file, String what) throws IOException {
        BufferedImage img;
        try (InputStream in = InputFiles.open(file, what, InputFiles.IMAGE_LIMIT)) {
            img = ImageIO.read(in);
        } catch (javax.imageio.IIOException e) {
            // ImageIO's own words ("Error reading PNG image data") and the decoder's cause.
            throw new InputFileException(what + " " + file + ": cannot decode the image: " + e.getMessage()
                    + (e.getCause() != null && e.getCause().getMessage() != null ? ": " + e.getCause().getMessage() : ""), e);
        } catch (RuntimeException e) {
            // Some decoders fail on truncated data with unchecked exceptions.
            throw new InputFileException(what + " " + file + ": cannot decode the image: " + e, e);
        }
        if (img == null) {
            throw new InputFileException(what + " " + file + ": not an image format Java can read (PNG, JPEG, GIF, BMP, WBMP, TIFF)");
        }
        return img;
    }
}
