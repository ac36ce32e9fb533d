package org.sinter.bench;

import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.WinogradConv;

/**
 * A/B of {@link WinogradConv}'s variants in one JVM ({@code bench/winograd_conv.sh T R shapes 0 ab}),
 * each change against the version without it, alternated call by call
 * ({@link PackedConvBench#alternate}) for three rounds, with the tile size the compiler would pick:
 * shared chunks split by output channels; F(4x4)'s written-out transforms and tile-row stores; and
 * both against the first version.
 */
final class WinogradVariantsAb {
    private WinogradVariantsAb() {}

    static void run(ConvGeometry g, int n, float[] x, float[] w, float[] bias, int rounds, String shape) {
        int m = WinogradConv.tileSize(g);
        WinogradConv.Filter f = WinogradConv.pack(g, w, 0, m);
        float[] y = new float[n * g.k() * g.outPlane()];
        Runnable first = variant(false, false, g, n, x, f, bias, y), both = variant(true, true, g, n, x, f, bias, y);
        Runnable[][] pairs = {{variant(false, true, g, n, x, f, bias, y), both}, {variant(true, false, g, n, x, f, bias, y), both}, {first, both}};
        String[] names = {"split by K", "F4 written", "both"};
        for (int round = 1; round <= 3; round++) {
            StringBuilder line = new StringBuilder(String.format("%-11s b%d F(%dx%d) round %d:", shape, n, m, m, round));
            for (int p = 0; p < pairs.length; p++) {
                double[] t = PackedConvBench.alternate(pairs[p][0], pairs[p][1], rounds);
                line.append(String.format(" | %s %.3f -> %.3f ms (%.2fx)", names[p], t[0], t[1], t[1] / t[0]));
            }
            System.out.println(line);
        }
        WinogradConv.setVariants(true, true);
    }

    private static Runnable variant(boolean splitByK, boolean f4Written, ConvGeometry g, int n, float[] x, WinogradConv.Filter f,
                                    float[] bias, float[] y) {
        return () -> {
            WinogradConv.setVariants(splitByK, f4Written);
            WinogradConv.conv(g, n, x, 0, f, bias, 0, false, y, 0, null);
        };
    }
}
