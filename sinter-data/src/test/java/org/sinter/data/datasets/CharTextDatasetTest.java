package org.sinter.data.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.data.Example;

class CharTextDatasetTest {
    @Test
    void vocabularyEncodesAndDecodes() {
        Vocabulary v = Vocabulary.of("hello world");
        assertEquals(8, v.size()); // ' ', d, e, h, l, o, r, w
        assertArrayEquals(new int[] {3, 7}, v.encode("hw"));
        assertEquals("low", v.decode(v.encode("low")));
        var e = assertThrows(IllegalArgumentException.class, () -> v.encode("hex"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("position 2"), e.getMessage());
    }

    @Test
    void windowsPredictTheNextCharacter() {
        CharTextDataset ds = CharTextDataset.of("t", "abcdefghij", 3);
        assertEquals(3, ds.size()); // windows at 0, 3, 6 (6..9 needs the target char j)
        Example e = ds.get(1);
        assertEquals(DType.INT64, e.input().dtype());
        assertEquals("def", ds.vocabulary().decode(e.input()));
        assertEquals("efg", ds.vocabulary().decode(e.target()));
        assertEquals("ghi", ds.vocabulary().decode(ds.get(2).input()));
        assertEquals(7, ds.withStride(1).size());
        assertThrows(IllegalArgumentException.class, () -> CharTextDataset.of("t", "abc", 3));
    }

    @Test
    void splitAndEntropy() {
        CharTextDataset ds = CharTextDataset.of("t", "aabbaabbab", 2);
        assertEquals(Math.log(2), ds.unigramEntropy(), 1e-12);
        assertEquals(1.0, ds.unigramEntropyBits(), 1e-12);
        CharTextDataset.Split s = ds.split(0.6);
        assertEquals(6, s.train().length());
        assertEquals(4, s.validation().length());
        assertSame(ds.vocabulary(), s.validation().vocabulary());
        assertEquals("bbab", s.validation().text());
        // train "aabbaa": a 4/6, b 2/6; add-one: a 5/8, b 3/8; validation "bbab" is 1/4 a, 3/4 b
        assertEquals(-0.25 * Math.log(5 / 8.0) - 0.75 * Math.log(3 / 8.0), s.validation().unigramCrossEntropy(s.train()), 1e-12);
    }

    @Test
    void readsUserFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("poem.txt");
        Files.writeString(f, "Über allen Gipfeln ist Ruh\n");
        CharTextDataset ds = CharTextDataset.fromFile(f, 4);
        assertEquals(27, ds.length());
        assertEquals("Über allen Gipfeln ist Ruh\n", ds.text());
    }

    @Test
    void bundledKingJamesExcerpt() {
        CharTextDataset kjv = CharTextDataset.kingJames(64);
        assertEquals(1_310_063, kjv.length());
        assertTrue(kjv.text().startsWith("The Book of Genesis\n\n1:1 In the beginning God created the heaven and the earth."));
        assertTrue(kjv.vocabulary().size() > 60 && kjv.vocabulary().size() < 90, kjv.vocabulary().toString());
        double bits = kjv.unigramEntropyBits();
        assertTrue(bits > 4.0 && bits < 4.6, "English letters carry about 4.1-4.3 bits each: " + bits);
        var split = kjv.split(0.9);
        double ce = split.validation().unigramCrossEntropy(split.train());
        assertTrue(ce >= split.validation().unigramEntropy() - 1e-9, "cross-entropy is at least the entropy");
    }
}
