package org.sinter.autotune.apply;

import java.util.List;
import org.sinter.autotune.schedule.Loop;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.PackedConv;

/**
 * Which part of the output one iteration of a tuned convolution's outermost loop writes, so the
 * compiler can run the convolution's epilogue on it as soon as it is done. The direct convolution
 * template fuses the sample, group, output-channel-block and row-block loops ({@code n}, {@code g},
 * {@code kk_o}, {@code oh_o}, the last two in either order) into its parallel loop, and every
 * reduction runs inside it, so iteration i finishes one sample's block of {@code channelBlock}
 * channels by {@code rowBlock} whole output rows. {@code parts} and {@code extents} are the fused
 * loops outermost first; the index decodes as mixed-radix digits.
 */
record OutputBlocks(List<String> parts, List<Integer> extents, int channelBlock, int rowBlock, ConvGeometry g) {
    /** The blocks of {@code outermost}, or null when it is not such a fusion that tiles the output exactly. */
    static OutputBlocks of(Loop outermost, ConvGeometry g) {
        List<String> parts = outermost.fusedOf();
        List<Integer> extents = outermost.fusedExtents();
        if (parts.size() != 4 || !parts.containsAll(List.of("n", "g", "kk_o", "oh_o"))) return null;
        int kk = extents.get(parts.indexOf("kk_o")), oh = extents.get(parts.indexOf("oh_o"));
        if (extents.get(parts.indexOf("g")) != g.groups() || g.kg() % kk != 0 || g.oh() % oh != 0) return null;
        return new OutputBlocks(parts, extents, g.kg() / kk, g.oh() / oh, g);
    }

    /** Tells {@code done} the block iteration {@code i} wrote: its sample, channels and pixels. */
    void tell(int i, PackedConv.BlockDone done) {
        int sample = 0, group = 0, channels = 0, rows = 0;
        for (int p = parts.size() - 1; p >= 0; p--) {
            int e = extents.get(p), digit = i % e;
            i /= e;
            switch (parts.get(p)) {
                case "n" -> sample = digit;
                case "g" -> group = digit;
                case "kk_o" -> channels = digit;
                default -> rows = digit;
            }
        }
        done.done(sample, group * g.kg() + channels * channelBlock, channelBlock, rows * rowBlock * g.ow(), rowBlock * g.ow());
    }
}
