package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.autotune.bench.ResNet18Convs;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.lower.WinogradKernel;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.space.WinogradTemplate;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Reference;
import org.sinter.kernels.conv.PackedConv;

/**
 * The direct template's space contains the built-in stride-2 kernel's schedule ({@code StridedConv}'s
 * register tile) wherever that kernel runs a layer, seeds the tuner with it, and that point computes
 * the convolution on odd geometries; with the Winograd template's seed, every ResNet-18 layer whose
 * built-in is one of those two kernels has the built-in's own point in a space.
 */
class StridedSeedTest {
    private static boolean wideVectors() {
        return Templates.HOST_LANES >= 16; // the stride-2 kernel runs on AVX-512 only
    }

    @Test
    void everyResNet18LayerOnTheStrideTwoOrWinogradKernelHasTheBuiltInsPointInASpace() {
        int strided = 0, winograd = 0;
        for (Map.Entry<String, ConvParams> e : ResNet18Convs.all().entrySet()) {
            ConvParams p = e.getValue();
            ComputeDecl d = Operators.conv2d(p);
            var tile = PackedConv.stridedTile(WinogradKernel.geometry(p));
            List<Config> seeds = Templates.of(d).seeds();
            if (tile == null) {
                assertEquals(List.of(), seeds, e.getKey());
            } else {
                assertEquals(1, seeds.size(), e.getKey());
                Config c = seeds.getFirst();
                assertEquals(tile.lanes(), c.get("lanes"), e.getKey());
                assertEquals(tile.vectors(), c.get("tile_k"), e.getKey());
                assertEquals(tile.rows(), c.get("tile_oh"), e.getKey());
                assertEquals(tile.cols(), c.get("tile_ow"), e.getKey());
                assertEquals(tile.channelsInner() ? 1 : 0, c.get("reduce_order"), e.getKey());
                Templates.of(d).apply(c); // a valid schedule
                strided++;
            }
            if (WinogradTemplate.applies(d)) {
                WinogradTemplate w = new WinogradTemplate(d);
                w.apply(w.seeds().getFirst());
                winograd++;
            }
        }
        assertEquals(4, winograd);
        // C1 (the stem), C5, C8, C11: the stride-2 layers that ChannelsLastConv leaves to the stride-2 kernel (it takes C4, C7, C10).
        assertEquals(wideVectors() ? 4 : 0, strided);
    }

    @Test
    void theBuiltInsPointComputesStrideTwoConvolutionsOnOddGeometries() {
        assumeTrue(wideVectors(), "the stride-2 kernel (and so this seed) exists on AVX-512 only");
        // Two channel vectors over 5 input channels (27 rows: the last input row unread); one vector x 2 rows over a 2-channel
        // stem with a 5x5 kernel; a 1x1 stride-2 on an odd width.
        for (ConvParams p : List.of(new ConvParams(1, 5, 27, 28, 32, 3, 3, 2, 1, 1, 1), new ConvParams(2, 2, 28, 28, 16, 5, 5, 2, 2, 1, 1),
                new ConvParams(1, 32, 14, 13, 32, 1, 1, 2, 0, 1, 1))) {
            ComputeDecl d = Operators.conv2d(p);
            Template t = Templates.of(d);
            List<Config> seeds = t.seeds();
            assertEquals(1, seeds.size(), d.workload());
            Config c = seeds.getFirst();
            Kernel k = t.build(c, t.apply(c));
            List<float[]> in = Inputs.random(d, 7);
            k.prepareConstants(in);
            float[] out = new float[d.outSize()];
            k.run(in, new int[in.size()], out, 0);
            double err = Inputs.maxRelError(out, Reference.run(d, in));
            assertTrue(err < 1e-5, d.workload() + " " + c + ": " + err);
        }
    }

    @Test
    void noSeedWhereTheTileDoesNotDivideTheOutput() {
        // 15 output columns: the built-in ends each row with a moved-back tile, which this space has no tiling for.
        ComputeDecl d = Operators.conv2d(new ConvParams(1, 8, 30, 30, 32, 3, 3, 2, 1, 1, 1));
        assertEquals(List.of(), Templates.of(d).seeds());
    }
}
