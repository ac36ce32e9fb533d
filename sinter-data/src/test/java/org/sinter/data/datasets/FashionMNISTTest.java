package org.sinter.data.datasets;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.data.io.CorruptDataException;

class FashionMNISTTest {
    /** Serves the files of {@code dir} on 127.0.0.1 under /fm/; {@code corrupt} names a file served with one byte changed. */
    record Server(HttpServer http, AtomicInteger requests) implements AutoCloseable {
        static Server serving(Path dir, String corrupt) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            AtomicInteger requests = new AtomicInteger();
            http.createContext("/fm/", ex -> {
                requests.incrementAndGet();
                String name = ex.getRequestURI().getPath().substring("/fm/".length());
                Path f = dir.resolve(name);
                if (name.contains("/") || !Files.isRegularFile(f)) {
                    ex.sendResponseHeaders(404, -1);
                    ex.close();
                    return;
                }
                byte[] body = Files.readAllBytes(f);
                if (name.equals(corrupt)) body[body.length / 2] ^= 0x01;
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return new Server(http, requests);
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/fm/");
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @Test
    void loadsDebiansCopy() throws IOException {
        assumeTrue(FashionMNIST.isInstalled(), "Debian's dataset-fashion-mnist is not installed");
        FashionMNIST fm = FashionMNIST.loadInstalled();
        assertEquals(60_000, fm.train().size());
        assertEquals(10_000, fm.test().size());
        assertEquals(9, fm.train().label(0));          // an ankle boot
        assertEquals(9, fm.test().label(0));
        for (int c : fm.train().classCounts()) assertEquals(6000, c);
        assertEquals("Ankle boot", fm.train().classes().get(9));
    }

    @Test
    void missingDirectoryIsExplained(@TempDir Path dir) {
        var e = assertThrows(FileNotFoundException.class, () -> FashionMNIST.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void downloadVerifiesTheRealFilesAndSkipsVerifiedCopies(@TempDir Path cache) throws IOException {
        assumeTrue(FashionMNIST.isInstalled(), "Debian's dataset-fashion-mnist is not installed");
        try (Server server = Server.serving(FashionMNIST.DEBIAN_DIR, null)) {
            Path dir = FashionMNIST.download(cache, server.base());
            assertEquals(4, server.requests().get());
            assertEquals(9, FashionMNIST.load(dir).test().label(0));
            FashionMNIST.download(cache, server.base());
            assertEquals(4, server.requests().get(), "verified files are not fetched again");
        }
    }

    @Test
    void downloadWritesVerifiedFilesAtomically(@TempDir Path tmp) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Map<String, String> sha = SyntheticMnist.write(src, 20, 5);
        Path cache = tmp.resolve("cache");
        try (Server server = Server.serving(src, null)) {
            FashionMNIST.download(cache, server.base(), sha);
        }
        FashionMNIST fm = FashionMNIST.load(cache);
        assertEquals(20, fm.train().size());
        assertEquals(5, fm.test().size());
        assertEquals(SyntheticMnist.label(3), fm.train().label(3));
        try (var files = Files.list(cache)) {
            assertEquals(4, files.count());
        }
    }

    @Test
    void corruptDownloadIsRejectedAndLeavesNothing(@TempDir Path tmp) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Map<String, String> sha = SyntheticMnist.write(src, 20, 5);
        Path cache = tmp.resolve("cache");
        try (Server server = Server.serving(src, MNIST.TRAIN_LABELS)) {
            var e = assertThrows(CorruptDataException.class, () -> FashionMNIST.download(cache, server.base(), sha));
            assertTrue(e.getMessage().contains(MNIST.TRAIN_LABELS), e.getMessage());
            assertTrue(e.field().equals("sha256") || e.field().equals("gzip stream"), e.getMessage());
        }
        assertFalse(Files.exists(cache.resolve(MNIST.TRAIN_LABELS)));
        try (var files = Files.list(cache)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        try (Server server = Server.serving(src, null)) {
            var e = assertThrows(IOException.class, () -> FashionMNIST.download(cache, URI.create(server.base() + "missing/"), sha));
            assertTrue(e.getMessage().contains("404"), e.getMessage());
        }
    }
}
