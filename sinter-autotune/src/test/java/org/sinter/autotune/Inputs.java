package org.sinter.autotune;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Placeholder;

/** Random inputs for a declaration, and the float comparison tuned kernels are held to. */
final class Inputs {
    private Inputs() {}

    static List<float[]> random(ComputeDecl d, long seed) {
        Random r = new Random(seed);
        List<float[]> in = new ArrayList<>();
        for (Placeholder p : d.inputs()) {
            float[] a = new float[p.size()];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            in.add(a);
        }
        return in;
    }

    static double maxRelError(float[] got, float[] want) {
        double scale = 1e-6, err = 0;
        for (float w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
        return err / scale;
    }
}
