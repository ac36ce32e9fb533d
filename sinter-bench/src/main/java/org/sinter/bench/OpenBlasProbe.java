package org.sinter.bench;

import org.sinter.kernels.gemm.OpenBlas;

/** Exits 0 when Sinter can load the system OpenBLAS (bench scripts use it to pick providers). */
public final class OpenBlasProbe {
    private OpenBlasProbe() {}

    public static void main(String[] args) {
        System.out.println(OpenBlas.isAvailable() ? "OpenBLAS: " + OpenBlas.libraryName() : "OpenBLAS: not found");
        System.exit(OpenBlas.isAvailable() ? 0 : 1);
    }
}
