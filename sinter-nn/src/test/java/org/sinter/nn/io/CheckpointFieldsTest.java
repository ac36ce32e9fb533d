package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Epoch and step are positions in a run: a negative one is damage, reported naming the file and field. */
class CheckpointFieldsTest {
    @Test
    void negativeEpochOrStepIsRejectedAtLoad(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.safetensors");
        Checkpoint.builder().epoch(-1).step(3).build().save(f);
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains(f + ": checkpoint metadata \"epoch\" is -1, expected a non-negative integer"), e.getMessage());
        Checkpoint.builder().epoch(1).step(-5).build().save(f);
        assertTrue(assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f)).getMessage().contains("\"step\" is -5"));
    }
}
