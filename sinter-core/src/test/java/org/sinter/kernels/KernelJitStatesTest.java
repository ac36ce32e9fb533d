package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The convolution and GEMM kernels stay unboxed whatever ran before them: ResNet-18's stem, a GEMM,
 * the stride-2 and Winograd layers and the MLP's small products, in a fresh JVM that profiles in the
 * interpreter and compiles
 * with C2 alone ({@code -Xbatch -XX:-TieredCompilation}, so the compile happens at a fixed call and
 * the type profiles are the interpreter's: the order that boxed C4's vectors before
 * {@link ExactVectors}, 289 MB a call, and the Winograd layers and small GEMMs 1-20 MB a call).
 * Allocation per call is the measure, not time: a boxed kernel
 * allocates megabytes a call, a healthy one a few kilobytes of scratch.
 */
class KernelJitStatesTest {

    @Test
    void convolutionAndGemmKernelsStayUnboxedWhateverRanBefore() throws IOException, InterruptedException {
        assumeTrue(FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512, "the stride-2 kernel's wide tile runs on AVX-512 only");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Xbatch", "-XX:-TieredCompilation", "-XX:+UseParallelGC", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), KernelJitStates.class.getName(),
                "--calls", "60", "c1", "g:64:3136:64", "c4", "c12", "c2", "c6", "c9", "g:16:512:784", "g:1:512:784", "g:8:784:512", "c5", "c11"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        Map<String, Long> bytes = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 4 && f[0].matches("c\\d+|g:.*")) bytes.put(f[0], Long.parseLong(f[3]));
        }
        for (String layer : List.of("c1", "g:64:3136:64", "c4", "c12", "c2", "c6", "c9", "g:16:512:784", "g:1:512:784", "g:8:784:512", "c5", "c11")) {
            assertTrue(bytes.containsKey(layer), "no line for " + layer + " in:\n" + out);
            assertTrue(bytes.get(layer) < 256 * 1024, layer + " allocated " + bytes.get(layer) + " bytes a call (boxed vectors):\n" + out);
        }
    }
}
