package org.sinter.cli.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;

/** The two recipes of {@link Gpt}: charlm's own head, gpt's tied head with GPT-2's initialisation; shapes and bad input. */
class GptTest {
    private static final Gpt.Config GPT = new Gpt.Config(96, 64, 128, 4, 4, 0.1, true);

    @Test
    void theTiedHeadIsTheTokenEmbedding() {
        Sinter.manualSeed(1);
        Gpt tied = new Gpt(GPT);
        assertFalse(tied.namedParameters().containsKey("head.weight"));
        Gpt untied = new Gpt(new Gpt.Config(96, 64, 128, 4, 3, 0.1, false));
        assertTrue(untied.namedParameters().containsKey("head.weight") && untied.namedParameters().containsKey("head.bias"));
        tied.eval();
        untied.eval();
        Tensor ids = Tensor.randint(0, 5, 2, 10); // tokens 0-4 only
        assertArrayEquals(new int[] {2, 10, 96}, tied.forward(ids).shape());
        tied.forward(ids).sum().backward();
        untied.forward(ids).sum().backward();
        // Rows of tokens never seen in the input get a gradient only where the embedding is also the head.
        assertTrue(rows(tied, 5, 96).abs().max().item() > 0, "the head's use of the embedding reaches every row");
        assertEquals(0, rows(untied, 5, 96).abs().max().item());
    }

    private static Tensor rows(Gpt m, int from, int to) {
        return m.namedParameters().get("tok_emb.weight").grad().slice(0, from, to, 1);
    }

    @Test
    void gpt2InitialisationScalesTheResidualProjections() {
        Sinter.manualSeed(2);
        var p = new Gpt(GPT).namedParameters();
        assertEquals(0.02, std(p.get("tok_emb.weight")), 0.001);
        assertEquals(0.02, std(p.get("layers.0.self_attn.in_proj_weight")), 0.001);
        assertEquals(0.02, std(p.get("layers.3.linear1.weight")), 0.001);
        double residual = 0.02 / Math.sqrt(2 * 4);
        assertEquals(residual, std(p.get("layers.0.self_attn.out_proj.weight")), 0.0005);
        assertEquals(residual, std(p.get("layers.2.linear2.weight")), 0.0005);
        assertEquals(0, p.get("layers.1.linear1.bias").abs().max().item());
        assertEquals(1, p.get("layers.1.norm1.weight").min().item());
    }

    @Test
    void aSequenceLongerThanTheContextIsAClearError() {
        Gpt m = new Gpt(new Gpt.Config(10, 8, 16, 2, 1, 0, true));
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.randint(0, 10, 1, 9)));
        assertTrue(e.getMessage().contains("sequence of 9 exceeds the context of 8"), e.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> new Gpt.Config(10, 8, 18, 4, 1, 0, true));
        assertTrue(c.getMessage().contains("not divisible by 4 heads"), c.getMessage());
    }

    private static double std(Tensor t) {
        return t.std().item();
    }
}
