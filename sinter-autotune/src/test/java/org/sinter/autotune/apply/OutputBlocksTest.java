package org.sinter.autotune.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.autotune.schedule.Loop;
import org.sinter.kernels.conv.ConvGeometry;

/** The blocks a tuned convolution's outermost iterations report tile its output exactly once, in either loop order. */
class OutputBlocksTest {
    private static final ConvGeometry G = new ConvGeometry(8, 12, 10, 32, 6, 5, 3, 3, 2, 2, 1, 1, 1, 1, 2);

    @Test
    void everyOutputElementIsInExactlyOneBlock() {
        // 2 samples, 2 groups of 16 channels in blocks of 8 (kk_o = 2), 6 rows in bands of 2 (oh_o = 3); both orders.
        for (List<String> parts : List.of(List.of("n", "g", "kk_o", "oh_o"), List.of("n", "g", "oh_o", "kk_o"))) {
            List<Integer> extents = parts.stream().map(p -> switch (p) { case "n", "g" -> 2; case "kk_o" -> 2; default -> 3; }).toList();
            Loop outer = new Loop("fused", 2 * 2 * 2 * 3, false, Loop.Kind.PARALLEL, parts, extents);
            OutputBlocks b = OutputBlocks.of(outer, G);
            int[] seen = new int[2 * G.k() * G.outPlane()];
            for (int i = 0; i < outer.extent(); i++) {
                b.tell(i, (sample, k0, nk, p0, np) -> {
                    for (int k = k0; k < k0 + nk; k++) for (int p = p0; p < p0 + np; p++) seen[(sample * G.k() + k) * G.outPlane() + p]++;
                });
            }
            for (int j = 0; j < seen.length; j++) assertEquals(1, seen[j], parts + ": element " + j);
        }
    }

    @Test
    void theConvolutionTemplatesOuterLoopDecodesInEveryConfiguration() {
        var p = new org.sinter.autotune.te.Operators.ConvParams(1, 16, 14, 14, 32, 3, 3, 2, 1, 1, 1);
        var g = new ConvGeometry(16, 14, 14, 32, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        var t = org.sinter.autotune.space.Templates.of(org.sinter.autotune.te.Operators.conv2d(p));
        int decoded = 0;
        for (long i = 0; i < t.space().size(); i++) {
            org.sinter.autotune.schedule.Schedule s;
            try {
                s = t.apply(t.space().get(i));
            } catch (IllegalArgumentException invalid) {
                continue; // a configuration the template rejects
            }
            Loop outer = org.sinter.autotune.lower.Lowering.lower(s).loops().getFirst();
            assertNotNull(OutputBlocks.of(outer, g), outer.toString());
            decoded++;
        }
        assertTrue(decoded > 0);
    }

    @Test
    void otherOuterLoopsAreNotDecoded() {
        assertNull(OutputBlocks.of(new Loop("n", 2, false, Loop.Kind.PARALLEL, List.of(), List.of()), G));
        assertNull(OutputBlocks.of(new Loop("f", 2 * 2 * 5 * 3, false, Loop.Kind.PARALLEL, List.of("n", "g", "kk_o", "oh_o"), List.of(2, 2, 5, 3)), G));
    }
}
