package org.sinter.nn.functional.kernels;

import org.sinter.DType;

/** Direct convolution for few input channels (placeholder until measured). */
final class DirectConv {
    private DirectConv() {}

    static boolean applies(ConvGeometry g) {
        return false;
    }

    static void conv(DType dt, ConvGeometry g, int n, Object x, int xOff, Object w, int wOff, Object bias, int bOff, Object y, int yOff) {
        throw new UnsupportedOperationException();
    }
}
