package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.nn.io.SafeTensors;

/** Issue 8, item 8: a charlm trained on the user's text carries its vocabulary; sample and eval use it. */
class CharLmVocabularyTest {
    /** Lower-case only: none of the bundled prompt's "A", "G"; a vocabulary of 16 characters. */
    static final String TEXT = "the cat sat on the mat and the dog ran to the sun. ".repeat(80);

    @TempDir
    static Path shared;
    static Path text, run;

    @BeforeAll
    static void trainOnce() throws Exception {
        text = Files.writeString(shared.resolve("mytext.txt"), TEXT);
        run = shared.resolve("charlm");
        Cli.Result r = Cli.run("train", "--model", "charlm", "--dataset", text.toString(), "--epochs", "1", "--max-steps", "2",
                "--batch-size", "4", "--threads", "2", "--out", run.toString());
        assertEquals(0, r.exit(), "training on a text without the bundled prompt's characters succeeds: " + r);
        assertTrue(r.out().contains("sample: the cat"), r.out());
    }

    @Test
    void theModelFileRecordsItsVocabularyAndText() throws Exception {
        var meta = SafeTensors.readMetadata(run.resolve("model.safetensors"));
        assertEquals(" .acdeghmnorstu", meta.get("vocab"));
        assertEquals(text.toAbsolutePath().toString(), meta.get("dataset"));
    }

    @Test
    void sampleDecodesWithTheModelsVocabulary() {
        Cli.Result r = Cli.run("sample", "--model-file", run.resolve("model.safetensors").toString(), "--prompt", "the ", "--length", "40");
        assertEquals(0, r.exit(), r.toString());
        String s = r.out().strip();
        assertTrue(s.startsWith("the ") && s.length() == 44, s);
        assertTrue(s.chars().allMatch(c -> " .acdeghmnorstu".indexOf(c) >= 0), "only the text's characters: " + s);
    }

    @Test
    void aPromptWithUnknownCharactersIsAClearError() {
        Cli.Result r = Cli.run("sample", "--model-file", run.resolve("model.safetensors").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("'A' (U+0041)") && r.err().contains("'G' (U+0047)"), r.err());
        assertFalse(r.hasStackTrace());
    }

    @Test
    void evalScoresTheTextTheModelWasTrainedOn() {
        Cli.Result r = Cli.run("eval", "--model-file", run.resolve("model.safetensors").toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("charlm on the validation part of " + text.toAbsolutePath()), r.out());
    }

    @Test
    void checkpointsWorkWhereModelFilesDo() {
        Cli.Result r = Cli.run("sample", "--model-file", run.resolve("checkpoint/last.safetensors").toString(), "--prompt", "the",
                "--length", "5");
        assertEquals(0, r.exit(), r.toString());
    }
}
