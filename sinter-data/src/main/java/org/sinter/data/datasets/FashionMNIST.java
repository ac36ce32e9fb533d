package org.sinter.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.sinter.io.AtomicFiles;
import org.sinter.data.io.Checksums;
import org.sinter.data.io.CorruptDataException;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 70,000 28 x 28 gray images of clothing in ten
 * classes, in MNIST's file format. Not bundled: read it from a directory, from Debian's
 * {@code dataset-fashion-mnist} package, or {@link #download} it once into a cache directory.
 *
 * <pre>{@code
 * FashionMNIST fm = FashionMNIST.isInstalled() ? FashionMNIST.loadInstalled()
 *         : FashionMNIST.load(FashionMNIST.download(Path.of("data/fashion-mnist"), URI.create(mirror)));
 * fm.train().get(0).label();     // 9 ("Ankle boot")
 * }</pre>
 *
 * @param train the 60,000 training examples
 * @param test  the 10,000 test examples
 */
public record FashionMNIST(ImageDataset train, ImageDataset test) {
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Where Debian's {@code dataset-fashion-mnist} package installs the four files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The file names, as published. */
    public static final List<String> FILES = List.of(
            MNIST.TRAIN_IMAGES, MNIST.TRAIN_LABELS, MNIST.TEST_IMAGES, MNIST.TEST_LABELS);
    /**
     * SHA-256 of each file's decompressed IDX content. The content, not the .gz bytes, is hashed so
     * that a re-compressed copy (Debian's differ from the originals in the gzip header only) is
     * accepted while any change to the data is not.
     */
    public static final Map<String, String> CONTENT_SHA256 = Map.of(
            MNIST.TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            MNIST.TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            MNIST.TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            MNIST.TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /** Reads the four files from {@code dir}. */
    public static FashionMNIST load(Path dir) throws IOException {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new java.io.FileNotFoundException("FashionMNIST: " + dir.resolve(f) + " does not exist; expected the files "
                        + FILES + " in " + dir + " (install Debian's dataset-fashion-mnist, or use FashionMNIST.download)");
            }
        }
        return new FashionMNIST(
                MNIST.loadPair("FashionMNIST train", dir, MNIST.TRAIN_IMAGES, MNIST.TRAIN_LABELS, CLASSES),
                MNIST.loadPair("FashionMNIST test", dir, MNIST.TEST_IMAGES, MNIST.TEST_LABELS, CLASSES));
    }

    /** Whether Debian's package is installed at {@link #DEBIAN_DIR}. */
    public static boolean isInstalled() {
        return FILES.stream().allMatch(f -> Files.isRegularFile(DEBIAN_DIR.resolve(f)));
    }

    /** Reads Debian's installed copy. */
    public static FashionMNIST loadInstalled() throws IOException {
        return load(DEBIAN_DIR);
    }

    /**
     * Fetches the four files from {@code baseUrl} (the file names are appended to it)
     * into {@code cacheDir}, unless a verified copy is already there, and returns {@code cacheDir}.
     * Each file is written to a temporary file, fsynced, checked against {@link #CONTENT_SHA256} and
     * only then renamed into place; a file that fails the check is deleted and reported.
     */
    public static Path download(Path cacheDir, URI baseUrl) throws IOException {
        return download(cacheDir, baseUrl, CONTENT_SHA256);
    }

    /** {@link #download(Path, URI)} against other expected digests (tests use small stand-in files). */
    static Path download(Path cacheDir, URI baseUrl, Map<String, String> contentSha256) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Files.createDirectories(cacheDir);
        String base = baseUrl.toString().endsWith("/") ? baseUrl.toString() : baseUrl + "/";
        for (String file : FILES) {
            Path target = cacheDir.resolve(file);
            String expected = contentSha256.get(file);
            if (Files.isRegularFile(target) && expected.equals(Checksums.contentSha256(target))) continue;
            URI uri = URI.create(base + file);
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("FashionMNIST: interrupted while downloading " + uri, e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("FashionMNIST: GET " + uri + " answered HTTP " + response.statusCode());
                }
                AtomicFiles.write(target, body, tmp -> {
                    String actual;
                    try {
                        actual = Checksums.contentSha256(tmp);
                    } catch (IOException e) {
                        throw new CorruptDataException(uri.toString(), "gzip stream", "cannot be decompressed (" + e.getMessage() + ")", e);
                    }
                    if (!expected.equals(actual)) {
                        throw new CorruptDataException(uri.toString(), "sha256", "content SHA-256 is " + actual + ", expected "
                                + expected + "; the download is corrupt or not Fashion-MNIST's " + file + ", so it was not kept");
                    }
                });
            }
        }
        return cacheDir;
    }
}
