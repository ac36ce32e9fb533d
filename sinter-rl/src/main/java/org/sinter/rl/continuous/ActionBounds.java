package org.sinter.rl.continuous;

import org.sinter.Tensor;
import org.sinter.rl.spaces.Box;

/** The affine map from tanh's (−1, 1) onto a bounded action box, as (1, n) rows that broadcast over a batch. */
final class ActionBounds {
    private ActionBounds() {}

    static Tensor scale(Box box) {
        return row(box, true);
    }

    static Tensor bias(Box box) {
        return row(box, false);
    }

    private static Tensor row(Box box, boolean scale) {
        double[] low = box.low(), high = box.high();
        float[] v = new float[low.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i])) {
                throw new IllegalArgumentException("continuous control needs a bounded action box, got " + box);
            }
            v[i] = (float) (scale ? (high[i] - low[i]) / 2 : (high[i] + low[i]) / 2);
        }
        return Tensor.of(v, 1, v.length);
    }
}
