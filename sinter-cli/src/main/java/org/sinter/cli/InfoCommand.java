package org.sinter.cli;

import jdk.incubator.vector.FloatVector;
import org.sinter.Sinter;
import picocli.CommandLine.Command;

/** {@code sinter info}: what this machine gives Sinter (JDK, SIMD width, threads). */
@Command(name = "info", description = "Show the runtime: JDK, SIMD width, threads.")
final class InfoCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("Sinter 0.1.0");
        System.out.println("JDK        " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        System.out.println("SIMD       " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors, "
                + FloatVector.SPECIES_PREFERRED.length() + " float32 lanes");
        System.out.println("threads    " + Sinter.getNumThreads() + " (of " + Runtime.getRuntime().availableProcessors() + " cores)");
    }
}
