package org.sinter.autotune.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.autotune.te.Operators.ConvParams;

/** The 12 distinct convolutions of ResNet-18 at 224×224, batch 1 (the AutoTVM paper's C1–C12). */
public final class ResNet18Convs {
    private ResNet18Convs() {}

    public static Map<String, ConvParams> all() {
        Map<String, ConvParams> m = new LinkedHashMap<>();
        m.put("C1", conv(224, 3, 64, 7, 2));
        m.put("C2", conv(56, 64, 64, 3, 1));
        m.put("C3", conv(56, 64, 64, 1, 1));
        m.put("C4", conv(56, 64, 128, 3, 2));
        m.put("C5", conv(56, 64, 128, 1, 2));
        m.put("C6", conv(28, 128, 128, 3, 1));
        m.put("C7", conv(28, 128, 256, 3, 2));
        m.put("C8", conv(28, 128, 256, 1, 2));
        m.put("C9", conv(14, 256, 256, 3, 1));
        m.put("C10", conv(14, 256, 512, 3, 2));
        m.put("C11", conv(14, 256, 512, 1, 2));
        m.put("C12", conv(7, 512, 512, 3, 1));
        return m;
    }

    /** How many times ResNet-18 runs each workload (the task scheduler's weights); C3 is not in the network (the paper lists it). */
    public static int occurrences(String layer) {
        return switch (layer) {
            case "C2" -> 4;
            case "C6", "C9", "C12" -> 3;
            case "C3" -> 0;
            default -> 1;
        };
    }

    /** "Same" padding for odd kernels: (k − 1) / 2. */
    private static ConvParams conv(int size, int in, int out, int k, int stride) {
        return new ConvParams(1, in, size, size, out, k, k, stride, (k - 1) / 2, 1, 1);
    }
}
