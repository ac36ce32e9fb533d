package org.sinter.backend.cpu;

import org.sinter.Tensor;

/** Raw views for kernels writing into parts of an output (outside autograd and dispatch). */
final class Views {
    private Views() {}

    /** Elements {@code start .. start+length} of dimension {@code d}, step 1. */
    static Tensor slice0(Tensor t, int d, int start, int length) {
        int[] sh = t.shape(), st = t.stride();
        sh[d] = length;
        return Tensor.viewOf(t, sh, st, t.storageOffset() + start * st[d]);
    }
}
