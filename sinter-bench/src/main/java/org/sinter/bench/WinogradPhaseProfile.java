package org.sinter.bench;

import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.WinogradConv;
import org.sinter.kernels.conv.WinogradPhases;

/**
 * Where a {@link WinogradConv} call's time goes ({@code bench/winograd_conv.sh T R shapes 0 phases},
 * which starts the JVM with {@code -Dsinter.conv.winograd.phases=true}): per phase, its thread-time
 * divided by the threads (ms), its share of the call's wall time, its GFLOP/s and GB/s (of the work
 * and least traffic {@link WinogradPhases#work} counts), and what is left of the wall time for the
 * fork/joins and the waiting between them.
 */
final class WinogradPhaseProfile {
    private WinogradPhaseProfile() {}

    static void run(ConvGeometry g, int n, float[] x, float[] w, float[] bias, int threads, int rounds, String shape) {
        if (!WinogradPhases.enabled()) throw new IllegalStateException("WinogradPhaseProfile: start the JVM with -Dsinter.conv.winograd.phases=true");
        int m = WinogradConv.tileSize(g, n);
        WinogradConv.Filter f = WinogradConv.pack(g, w, 0, m);
        float[] y = new float[n * g.k() * g.outPlane()];
        for (int i = 0; i < Math.max(10, rounds / 4); i++) WinogradConv.conv(g, n, x, 0, f, bias, 0, false, y, 0, null);
        WinogradPhases.perCallAndReset();
        for (int i = 0; i < rounds; i++) WinogradConv.conv(g, n, x, 0, f, bias, 0, false, y, 0, null);
        double[] perCall = WinogradPhases.perCallAndReset();
        double[][] work = WinogradPhases.work(g, n, m);
        double wall = perCall[WinogradPhases.NAMES.length] / 1e6, covered = 0;
        System.out.printf("%s b%d F(%dx%d): %.3f ms a call (mean), %.1f fork/joins%n", shape, n, m, m, wall, perCall[WinogradPhases.NAMES.length + 1]);
        for (int p = 0; p < WinogradPhases.NAMES.length; p++) {
            double ms = perCall[p] / 1e6 / threads;
            covered += ms;
            System.out.printf("  %-9s %8.3f ms %5.1f%% %8.1f GFLOP/s %7.1f GB/s%n", WinogradPhases.NAMES[p], ms, 100 * ms / wall,
                    work[p][0] / ms / 1e6, work[p][1] / ms / 1e6);
        }
        System.out.printf("  %-9s %8.3f ms %5.1f%%%n", "fork/join", wall - covered, 100 * (wall - covered) / wall);
    }
}
