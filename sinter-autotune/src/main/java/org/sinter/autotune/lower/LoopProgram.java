package org.sinter.autotune.lower;

import java.util.List;
import org.sinter.autotune.schedule.Loop;
import org.sinter.autotune.te.Affine;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Expr;

/**
 * The loop IR a schedule lowers to: one loop nest with every index flattened to an affine
 * expression of the loop variables over the (staged) buffers it reads.
 * <pre>
 *   for loops[0 .. cacheAt]                     (loop 0 split across threads when PARALLEL)
 *     local[·] = 0                               (registers when promoted)
 *     for loops[cacheAt+1 ..]:  local[localIndex] += body
 *     for the local's spatial loops:  out[outIndex] = epilogue(local[localIndex])
 * </pre>
 * Loads in {@code body} and {@code epilogue} have a single index: the flat offset into their
 * staged buffer.
 *
 * @param localLoops  the spatial loops inside {@code cacheAt}, which the local buffer spans (row-major)
 * @param vectorLoop  the vectorised loop's index, or -1
 * @param promoted    whether the local buffer lives in registers (every local loop unrolled or vectorised)
 */
public record LoopProgram(ComputeDecl decl, int lanes, List<Loop> loops, int cacheAt, List<StagedBuffer> buffers, Expr body, Expr epilogue,
                          Affine outIndex, List<Integer> localLoops, int vectorLoop, boolean promoted, List<String> trace) {
    public LoopProgram {
        loops = List.copyOf(loops);
        buffers = List.copyOf(buffers);
        localLoops = List.copyOf(localLoops);
        trace = List.copyOf(trace);
    }

    /** Whether the vector loop sums (its lanes hold partial sums, reduced at write-back). */
    public boolean vectorReduces() {
        return vectorLoop >= 0 && loops.get(vectorLoop).reduce();
    }

    /** Floats in the local buffer (per tile), lanes of partial sums included. */
    public int localSize() {
        int n = 1;
        for (int l : localLoops) n *= loops.get(l).extent();
        return vectorReduces() ? n * lanes : n;
    }

    /** The local buffer's index of the current point: row-major over {@link #localLoops} (then the lane, for a summing vector loop). */
    public Affine localIndex() {
        Affine e = Affine.constant(0);
        int stride = vectorReduces() ? lanes : 1;
        for (int k = localLoops.size() - 1; k >= 0; k--) {
            Loop l = loops.get(localLoops.get(k));
            e = e.plus(Affine.var(l.name()).times(stride));
            stride *= l.extent();
        }
        return e;
    }

    public StagedBuffer buffer(String name) {
        for (StagedBuffer b : buffers) if (b.name().equals(name)) return b;
        throw new IllegalArgumentException("loop program: no buffer " + name);
    }
}
