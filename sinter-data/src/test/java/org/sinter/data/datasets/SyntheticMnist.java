package org.sinter.data.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sinter.data.io.Checksums;
import org.sinter.data.io.Idx;
import org.sinter.data.io.IdxData;
import org.sinter.data.io.IdxType;

/** Writes tiny MNIST-format files for tests and returns their content SHA-256s. */
final class SyntheticMnist {
    private SyntheticMnist() {}

    static int label(int i) {
        return (i * 7) % 10;
    }

    static Map<String, String> write(Path dir, int train, int test) throws IOException {
        Map<String, String> sha = new HashMap<>();
        writePair(dir, MNIST.TRAIN_IMAGES, MNIST.TRAIN_LABELS, train, sha);
        writePair(dir, MNIST.TEST_IMAGES, MNIST.TEST_LABELS, test, sha);
        return sha;
    }

    private static void writePair(Path dir, String images, String labels, int n, Map<String, String> sha) throws IOException {
        byte[] px = new byte[n * 28 * 28];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31);
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) label(i);
        Idx.write(dir.resolve(images), new IdxData(IdxType.UBYTE, new int[] {n, 28, 28}, px), true);
        Idx.write(dir.resolve(labels), new IdxData(IdxType.UBYTE, new int[] {n}, lb), true);
        sha.put(images, Checksums.contentSha256(dir.resolve(images)));
        sha.put(labels, Checksums.contentSha256(dir.resolve(labels)));
    }
}
