package org.sinter.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * A cast that tells the JIT a vector's class exactly, for the values a kernel calls methods on
 * after a loop (its accumulators) or after a branch, and the rules that keep a kernel's vectors
 * in registers whatever else the process has run.
 *
 * <p>C2 types a loop's vector accumulator by its declared type, {@code FloatVector}, while it
 * parses the loop, so a call on it ({@code intoArray}, {@code add}) is inlined by the type profile
 * of {@code FloatVector}'s shared methods, which every caller in the process feeds. Once other code
 * has run those methods on vectors of another shape (the GEMM's 256-bit tile on an AVX-512
 * machine), the profile names two classes, C2 inlines both, the Vector API intrinsic fails, and the
 * kernel's vectors are boxed on the heap: ResNet-18's C4 ran 32 ms a call instead of 1.3, allocating
 * 289 MB a call, after the stem and a GEMM had run in the same process (every stride-2 layer of
 * ResNet-18 ran 10-75x slower in such a process, in steady state). A cast to the species' class,
 * a constant C2 folds, makes the type exact, so the profile no longer matters.
 *
 * <p>The other rules, for the same reason: no vector crosses a call the JIT may not inline (pass
 * arrays and offsets; a vector argument or result of such a call is boxed), and no gather or
 * scatter with an index map in a hot loop (the Vector API builds its index vector from a species
 * it does not fold to a constant, so that path depends on {@code IntVector}'s profile).
 * {@code KernelJitStatesTest} runs the order that used to box and checks allocation per call;
 * {@code bench/kernel_jit_states.sh} times every ResNet-18 layer in three orders.
 */
public final class ExactVectors {
    private ExactVectors() {}

    /**
     * The preferred float species' vector class: {@code (FloatVector) FLOAT.cast(v)} is {@code v},
     * typed exactly. Written out at each use, not behind a helper method: in a large kernel C2 may
     * stop inlining small methods (its node-count cutoff), and a vector passed to a call that is not
     * inlined is boxed too; {@code Class.cast} is an intrinsic, compiled in place at any size.
     */
    public static final Class<?> FLOAT = FloatVector.SPECIES_PREFERRED.vectorType();
}
