package org.sinter.kernels.gemm;

import static org.sinter.kernels.ExactVectors.FLOAT;
import static org.sinter.kernels.gemm.MicroKernel.PMR_F32;
import static org.sinter.kernels.gemm.MicroKernel.PNR_F32;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * The packed, cache-blocked SGEMM driver (the GotoBLAS/BLIS scheme) and its threading.
 *
 * <p>One operand, the smaller of op(A) and op(B), is packed once into a buffer all threads share;
 * the other dimension of C is cut into chunks that threads take from a shared counter, each chunk
 * packing its own slice of the other operand. So nothing is packed twice, and a thread that starts
 * late (a parked pool worker takes tens of microseconds to wake) or is descheduled by another
 * process simply takes fewer chunks instead of stalling the call. The packing of the shared operand
 * is itself split into tasks at the head of the same queue, so the calling thread starts packing
 * while the worker wakes.
 *
 * <p>Blocking for Zen 3 (32 KB L1d, 512 KB L2 per core, shared L3): the kernel sweeps an MC x KC block
 * of A (256 KB) held in L2 against one PNR_F32-column B micro-panel (16 or 32) at a time, and a chunk's block of C
 * stays in L2 across the depth slices.
 */
final class SgemmBlocked {
    /**
     * Depth of a packed slice. Deeper slices mean fewer tile calls and fewer passes over C; a 512-deep
     * B micro-panel (32 KB) no longer fits L1 beside the A stream, yet measured best of 256/384/512
     * (0.92-0.95x OpenBLAS on one core against 0.87-0.91 for 256): L2 feeds the 16 B/cycle it needs.
     */
    static final int KC = tuning("sinter.sgemm.kc", 512, 1);
    /** Rows of an A block that the kernel sweeps from L2 (a multiple of PMR_F32). */
    static final int MC = tuning("sinter.sgemm.mc", 128, PMR_F32);
    /** Widest chunk of columns (a multiple of PNR_F32): its packed B slice, KC x NCHUNK, stays in L2. */
    static final int NCHUNK = tuning("sinter.sgemm.nchunk", 256, PNR_F32);
    /** Narrowest chunk of columns when splitting for threads. */
    static final int NCHUNK_MIN = 64;
    /** Chunks per thread that the splitter aims for, so late or slow threads even out. */
    static final int CHUNKS_PER_THREAD = tuning("sinter.sgemm.cpt", 4, 1);
    /**
     * Largest shared packed operand, in floats (16 MB); bigger products run in several rounds.
     * Not final only so tests can force several rounds on small matrices.
     */
    static int sharedMax = 1 << 22;
    /**
     * Below this many multiply-adds (about 160^3) one thread is faster: waking a parked pool worker
     * takes 20-50 us, longer when other processes hold the cores, and the whole product takes ~50 us.
     */
    static final long PARALLEL_MIN_FMAS = Long.getLong("sinter.sgemm.parmin", 1L << 22);
    /**
     * The same for a pre-packed B with A read in place (about 100^3): nothing is packed, so both
     * threads compute from the start, and in a compiled program the previous step has just left the
     * pool's workers spinning. LeNet-5's 64x400x120 layer (3.1M) took 70 us on one thread and 44 on
     * two with A packed, 57 us on one thread with A in place; on a loaded box (the other core busy)
     * the split costs nothing as long as the worker is not descheduled mid-task.
     */
    static final long PARALLEL_MIN_FMAS_IN_PLACE = Long.getLong("sinter.sgemm.parminInPlace", 1L << 20);

    private SgemmBlocked() {}

    /** A blocking parameter, overridable by a system property for tuning, kept a positive multiple of {@code unit}. */
    private static int tuning(String property, int def, int unit) {
        int v = Math.max(unit, Integer.getInteger(property, def));
        return v / unit * unit;
    }

    /** Per-thread buffers, grown on demand and reused, so the hot path does not allocate arrays. */
    private static final class Workspace {
        float[] shared = new float[0], own = new float[0], edgeRows = new float[0];
        final float[] scratch = new float[PMR_F32 * PNR_F32];

        float[] own(int size) {
            if (own.length < size) own = new float[size];
            return own;
        }

        float[] shared(int size) {
            if (shared.length < size) shared = new float[size];
            return shared;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** The depth of each slice for a product of depth k: k cut evenly into slices of at most KC. */
    static int depthSlice(int k) {
        int kBlocks = (k + KC - 1) / KC;
        return (k + kBlocks - 1) / kBlocks;
    }

    private static int threadsFor(int m, int n, int k) {
        return threadsFor(m, n, k, PARALLEL_MIN_FMAS);
    }

    private static int threadsFor(int m, int n, int k, long minFmas) {
        return (long) m * n * k < minFmas || Parallel.inWorker() ? 1 : Parallel.numThreads();
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, GemmEpilogue epi) {
        int threads = threadsFor(m, n, k);
        int kBlocks = (k + KC - 1) / KC, kc0 = depthSlice(k);
        int firstMode = beta == 0f ? MicroKernel.OVERWRITE : beta == 1f ? MicroKernel.ACCUMULATE : MicroKernel.SCALE;
        // Share the smaller operand; but chunk along a dimension long enough to feed every thread.
        boolean shareA = m <= n;
        if (threads > 1) {
            int mTiles = (m + PMR_F32 - 1) / PMR_F32, nTiles = (n + PNR_F32 - 1) / PNR_F32;
            if (shareA && n < 2 * NCHUNK_MIN && mTiles >= 4 * threads) shareA = false;
            else if (!shareA && mTiles < 2 * threads && n >= 2 * NCHUNK_MIN) shareA = true;
        }
        int max = sharedMax;
        if (shareA) {
            // Rounds of rows, so the shared packed A stays under sharedMax.
            int rowsPer = Math.max(MC, max / k / MC * MC);
            float[] shared = WORKSPACE.get().shared(Math.min(roundUp(m, PMR_F32), rowsPer) * k);
            for (int i0 = 0; i0 < m; i0 += rowsPer) {
                shareARound(transA, transB, i0, Math.min(rowsPer, m - i0), n, k, kBlocks, kc0, alpha, a, aOff, lda,
                        b, bOff, ldb, beta, firstMode, c, cOff, ldc, shared, threads, epi);
            }
        } else {
            int colsPer = Math.max(NCHUNK, max / k / NCHUNK * NCHUNK);
            float[] shared = WORKSPACE.get().shared(Math.min(roundUp(n, PNR_F32), colsPer) * k);
            for (int j0 = 0; j0 < n; j0 += colsPer) {
                shareBRound(transA, transB, m, j0, Math.min(colsPer, n - j0), k, kBlocks, kc0, alpha, a, aOff, lda,
                        b, bOff, ldb, beta, firstMode, c, cOff, ldc, shared, threads, epi);
            }
        }
    }

    /** Rows [i0, i0+rows) of C: op(A) packed into {@code shared}, columns in chunks that pack B. */
    private static void shareARound(boolean transA, boolean transB, int i0, int rows, int n, int k, int kBlocks, int kc0,
                                    float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float beta, int firstMode, float[] c, int cOff, int ldc, float[] shared, int threads,
                                    GemmEpilogue epi) {
        // Block (pc, ic) of packed A sits at pc*rowsPad + (ic - i0)*kc: every PMR_F32-panel of a slice is contiguous.
        int rowsPad = roundUp(rows, PMR_F32), mBlocks = (rows + MC - 1) / MC;
        int even = threads == 1 ? NCHUNK
                : Math.max(NCHUNK_MIN, Math.min(NCHUNK, roundUp((n + CHUNKS_PER_THREAD * threads - 1) / (CHUNKS_PER_THREAD * threads), PNR_F32)));
        // A chunk packs all k rows of its B columns: keep that per-thread buffer under sharedMax too.
        int w = Math.min(even, Math.max(PNR_F32, sharedMax / k / PNR_F32 * PNR_F32));
        int chunks = (n + w - 1) / w;
        IntConsumer pack = t -> {
            int pc = (t / mBlocks) * kc0, kc = Math.min(kc0, k - pc), ic = i0 + (t % mBlocks) * MC;
            MicroKernel.packA(transA, a, aOff, lda, ic, Math.min(MC, i0 + rows - ic), pc, kc, alpha,
                    shared, pc * rowsPad + (ic - i0) * kc);
        };
        IntConsumer work = t -> {
            Workspace ws = WORKSPACE.get();
            int j0 = t * w, nc = Math.min(w, n - j0), ncPad = roundUp(nc, PNR_F32);
            // The chunk's whole B first, then each row block through all depth slices: the block of
            // C (MC x w) stays in L2 between slices instead of coming back from L3 for every slice.
            float[] pb = ws.own(k * ncPad);
            for (int pc = 0; pc < k; pc += kc0)
                MicroKernel.packB(transB, b, bOff, ldb, pc, Math.min(kc0, k - pc), j0, nc, pb, pc * ncPad);
            for (int ic = i0; ic < i0 + rows; ic += MC) {
                int mc = Math.min(MC, i0 + rows - ic);
                for (int pc = 0; pc < k; pc += kc0) {
                    int kc = Math.min(kc0, k - pc);
                    macro(kc, mc, nc, shared, pc * rowsPad + (ic - i0) * kc, pb, pc * ncPad,
                            c, cOff + ic * ldc + j0, ldc, pc == 0 ? firstMode : MicroKernel.ACCUMULATE, beta, ws.scratch);
                }
                if (epi != null) epi.apply(ic, mc, j0, nc);
            }
        };
        runTasks(threads, kBlocks * mBlocks, chunks, pack, work);
    }

    /** Columns [j0, j0+cols) of C: op(B) packed into {@code shared}, rows in chunks that pack A. */
    private static void shareBRound(boolean transA, boolean transB, int m, int j0, int cols, int k, int kBlocks, int kc0,
                                    float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float beta, int firstMode, float[] c, int cOff, int ldc, float[] shared, int threads,
                                    GemmEpilogue epi) {
        int colsPad = roundUp(cols, PNR_F32), nBlocks = (cols + NCHUNK - 1) / NCHUNK;
        int h = threads == 1 ? MC
                : Math.max(4 * PMR_F32, Math.min(MC, roundUp((m + CHUNKS_PER_THREAD * threads - 1) / (CHUNKS_PER_THREAD * threads), PMR_F32)));
        int chunks = (m + h - 1) / h;
        IntConsumer pack = t -> {
            int pc = (t / nBlocks) * kc0, kc = Math.min(kc0, k - pc), jc = (t % nBlocks) * NCHUNK;
            MicroKernel.packB(transB, b, bOff, ldb, pc, kc, j0 + jc, Math.min(NCHUNK, cols - jc), shared, pc * colsPad + jc * kc);
        };
        IntConsumer work = t -> {
            Workspace ws = WORKSPACE.get();
            int ic = t * h, mc = Math.min(h, m - ic);
            float[] pa = ws.own(kc0 * roundUp(mc, PMR_F32));
            for (int pc = 0; pc < k; pc += kc0) {
                int kc = Math.min(kc0, k - pc);
                MicroKernel.packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, pa, 0);
                int mode = pc == 0 ? firstMode : MicroKernel.ACCUMULATE;
                macro(kc, mc, cols, pa, 0, shared, pc * colsPad, c, cOff + ic * ldc + j0, ldc, mode, beta, ws.scratch);
            }
            if (epi != null) epi.apply(ic, mc, j0, cols);
        };
        runTasks(threads, kBlocks * nBlocks, chunks, pack, work);
    }

    /**
     * C = op(A) * B for a pre-packed B. A row-major A (a linear layer's input) is read where it
     * lies ({@link #macroRows}): no packing, so the tasks start computing at once. A transposed A
     * is packed once into a buffer all threads share (split into pack tasks at the head of the
     * queue). Tasks of (row block, column chunk) run every depth slice of their block and its
     * epilogue. Two-dimensional tasks keep both threads busy whether C is wide (a layer with many
     * outputs) or tall (a convolution's many pixels). Each element's sum runs over the slices in
     * the same order as {@link #sgemm}'s, so the results are the same bits.
     */
    static void prepacked(boolean transA, int m, float[] a, int aOff, int lda, PackedB b,
                          float[] c, int cOff, int ldc, GemmEpilogue epi) {
        int n = b.n, k = b.k, kc0 = b.kc0, kBlocks = (k + kc0 - 1) / kc0;
        boolean inPlace = !transA && IN_PLACE_A && (long) m * n < PACK_A_MIN_OUTPUTS;
        // Threads by the work the tiles do, padding included (a 10-column product runs 32-column tiles).
        int threads = threadsFor(m, roundUp(n, PNR_F32), k, inPlace ? PARALLEL_MIN_FMAS_IN_PLACE : PARALLEL_MIN_FMAS);
        if (inPlace && k >= SPLIT_DEPTH_MIN && kBlocks >= 2 && (long) (kBlocks - kBlocks / 2) * m * n <= sharedMax) {
            splitDepth(m, a, aOff, lda, b, c, cOff, ldc, epi, threads);
            return;
        }
        int rowsPer = Math.max(MC, sharedMax / k / MC * MC);
        float[] shared = inPlace ? null : WORKSPACE.get().shared(Math.min(roundUp(m, PMR_F32), rowsPer) * k);
        for (int i0 = 0; i0 < m; i0 += rowsPer) {
            int rows = Math.min(rowsPer, m - i0), rowsPad = roundUp(rows, PMR_F32);
            int colChunks = columnChunks(n, (rows + MC - 1) / MC, threads);
            int w = roundUp((n + colChunks - 1) / colChunks, PNR_F32);
            int chunks = (n + w - 1) / w;
            // Too few column chunks to share (a narrow product: the MLP's 512->10 at batch 128): cut the rows instead.
            int mcb = chunks * ((rows + MC - 1) / MC) >= threads ? MC : Math.max(PMR_F32, roundUp((rows + threads - 1) / threads, PMR_F32));
            int mBlocks = (rows + mcb - 1) / mcb;
            final int base = i0;
            IntConsumer pack = t -> {
                int pc = (t / mBlocks) * kc0, kc = Math.min(kc0, k - pc), ic = base + (t % mBlocks) * mcb;
                MicroKernel.packA(transA, a, aOff, lda, ic, Math.min(mcb, base + rows - ic), pc, kc, 1f,
                        shared, pc * rowsPad + (ic - base) * kc);
            };
            IntConsumer work = t -> {
                Workspace ws = WORKSPACE.get();
                int ic = base + (t / chunks) * mcb, mc = Math.min(mcb, base + rows - ic);
                int j0 = (t % chunks) * w, nc = Math.min(w, n - j0);
                for (int pc = 0; pc < k; pc += kc0) {
                    int kc = Math.min(kc0, k - pc), mode = pc == 0 ? MicroKernel.OVERWRITE : MicroKernel.ACCUMULATE;
                    if (inPlace) macroRows(kc, mc, nc, a, aOff + ic * lda + pc, lda, b.data, b.offset(pc, kc, j0), c, cOff + ic * ldc + j0, ldc, mode, ws);
                    else macro(kc, mc, nc, shared, pc * rowsPad + (ic - base) * kc, b.data, b.offset(pc, kc, j0),
                            c, cOff + ic * ldc + j0, ldc, mode, 0f, ws.scratch);
                }
                if (epi != null) epi.apply(ic, mc, j0, nc);
            };
            runTasks(threads, inPlace ? 0 : kBlocks * mBlocks, mBlocks * chunks, pack, work);
        }
    }

    /**
     * C = A * op(B) for a pre-packed A (the mirror of {@link #prepacked}): B is packed into a
     * buffer all threads share by pack tasks at the head of the queue, then (row block, column
     * chunk) tasks run every depth slice of their block and its epilogue. The same bits as
     * {@link #sgemm}.
     */
    static void prepackedA(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, GemmEpilogue epi) {
        int m = a.m, k = a.k, kc0 = a.kc0, kBlocks = (k + kc0 - 1) / kc0, mBlocks = (m + MC - 1) / MC;
        int threads = threadsFor(m, n, k);
        int colsPer = Math.max(NCHUNK, sharedMax / k / NCHUNK * NCHUNK);
        float[] shared = WORKSPACE.get().shared(Math.min(roundUp(n, PNR_F32), colsPer) * k);
        for (int j0 = 0; j0 < n; j0 += colsPer) {
            int cols = Math.min(colsPer, n - j0), colsPad = roundUp(cols, PNR_F32), nBlocks = (cols + NCHUNK - 1) / NCHUNK;
            int chunks = columnChunks(cols, mBlocks, threads), w = roundUp((cols + chunks - 1) / chunks, PNR_F32);
            int chunkCount = (cols + w - 1) / w;
            final int base = j0;
            IntConsumer pack = t -> {
                int pc = (t / nBlocks) * kc0, kc = Math.min(kc0, k - pc), jc = (t % nBlocks) * NCHUNK;
                MicroKernel.packB(transB, b, bOff, ldb, pc, kc, base + jc, Math.min(NCHUNK, cols - jc), shared, pc * colsPad + jc * kc);
            };
            IntConsumer work = t -> {
                float[] scratch = WORKSPACE.get().scratch;
                int ic = (t / chunkCount) * MC, mc = Math.min(MC, m - ic);
                int jw = (t % chunkCount) * w, nc = Math.min(w, cols - jw);
                for (int pc = 0; pc < k; pc += kc0) {
                    int kc = Math.min(kc0, k - pc);
                    macro(kc, mc, nc, a.data, a.offset(pc, kc, ic), shared, pc * colsPad + jw * kc,
                            c, cOff + ic * ldc + base + jw, ldc, pc == 0 ? MicroKernel.OVERWRITE : MicroKernel.ACCUMULATE, 0f, scratch);
                }
                if (epi != null) epi.apply(ic, mc, base + jw, nc);
            };
            runTasks(threads, kBlocks * nBlocks, mBlocks * chunkCount, pack, work);
        }
    }

    /**
     * Depth from which {@link #prepacked} with A read in place sums the two halves of the depth apart and then adds
     * them ({@link #splitDepth}; its second half's slice sums, at most {@link #sharedMax} floats, wait in a buffer).
     * The Lab 1 CNN's 64x128x9216 layer in the compiled model: 0.92 -> 0.75 ms.
     */
    static final int SPLIT_DEPTH_MIN = tuning("sinter.sgemm.splitDepth", 4096, 1);

    /**
     * {@link #prepacked} for a deep product with a small C (the Lab 1 CNN's 64x128x9216 layer): column chunks read
     * all of A, 2.4 MB there, past L2, once per chunk; here the depth's slices are cut in two halves, each done by
     * its own tasks over every column, so each half of A and B is read once. The first half sums into C as usual;
     * the second writes each slice's sum to a buffer of its own, and they are added to C afterwards, slice by slice
     * in order: each element is the same fold over the same slice sums as {@link #sgemm}'s, the same bits.
     */
    private static void splitDepth(int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc,
                                   GemmEpilogue epi, int threads) {
        int n = b.n, k = b.k, kc0 = b.kc0, kBlocks = (k + kc0 - 1) / kc0, midBlock = kBlocks / 2, mid = midBlock * kc0;
        int mn = m * n;
        float[] slices = WORKSPACE.get().shared((kBlocks - midBlock) * mn);
        // Per half, column chunks for threads beyond two (each chunk reads its half of A once).
        int perHalf = Math.max(1, threads / 2), w = roundUp((n + perHalf - 1) / perHalf, PNR_F32), chunks = (n + w - 1) / w;
        IntConsumer work = t -> {
            Workspace ws = WORKSPACE.get();
            int j0 = (t % chunks) * w, nc = Math.min(w, n - j0);
            if (t < chunks) {
                for (int pc = 0; pc < mid; pc += kc0)
                    macroRows(kc0, m, nc, a, aOff + pc, lda, b.data, b.offset(pc, kc0, j0), c, cOff + j0, ldc,
                            pc == 0 ? MicroKernel.OVERWRITE : MicroKernel.ACCUMULATE, ws);
            } else {
                for (int pc = mid, sl = 0; pc < k; pc += kc0, sl++) {
                    int kc = Math.min(kc0, k - pc);
                    macroRows(kc, m, nc, a, aOff + pc, lda, b.data, b.offset(pc, kc, j0), slices, sl * mn + j0, n, MicroKernel.OVERWRITE, ws);
                }
            }
        };
        runTasks(threads, 0, 2 * chunks, t -> {}, work);
        int bound = SPECIES_LOOP.loopBound(n), step = SPECIES_LOOP.length();
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int sl = 0; sl < kBlocks - midBlock; sl++) {
                int si = sl * mn + i * n, j = 0;
                for (; j < bound; j += step)
                    ((FloatVector) FLOAT.cast(((FloatVector) FLOAT.cast(FloatVector.fromArray(SPECIES_LOOP, c, ci + j)))
                            .add((FloatVector) FLOAT.cast(FloatVector.fromArray(SPECIES_LOOP, slices, si + j))))).intoArray(c, ci + j);
                for (; j < n; j++) c[ci + j] += slices[si + j];
            }
        }
        if (epi != null) epi.apply(0, m, 0, n);
    }

    private static final VectorSpecies<Float> SPECIES_LOOP = FloatVector.SPECIES_PREFERRED;

    /** Column chunks for (row block x chunk) tasks: NCHUNK wide, narrower when there are too few tasks to share. */
    private static int columnChunks(int n, int mBlocks, int threads) {
        int perThread = threads == 1 ? 1 : CHUNKS_PER_THREAD * threads;
        return Math.max(1, Math.min((n + PNR_F32 - 1) / PNR_F32, Math.max((n + NCHUNK - 1) / NCHUNK, (perThread + mBlocks - 1) / mBlocks)));
    }

    /**
     * Runs {@code packs} packing tasks, then {@code works} compute tasks (which read what the packs
     * wrote), taken in order from one counter by up to {@code threads} threads.
     */
    private static void runTasks(int threads, int packs, int works, IntConsumer pack, IntConsumer work) {
        if (threads == 1 || works == 1) {
            for (int t = 0; t < packs; t++) pack.accept(t);
            for (int t = 0; t < works; t++) work.accept(t);
            return;
        }
        AtomicInteger next = new AtomicInteger(), packed = new AtomicInteger();
        Parallel.forRange(Math.min(threads, works), 1, (start, end) -> {
            for (int t; (t = next.getAndIncrement()) < packs + works; ) {
                if (t < packs) {
                    try {
                        pack.accept(t);
                    } finally {
                        packed.incrementAndGet();
                    }
                } else {
                    // All pack tasks are taken by now; wait for the ones still running elsewhere.
                    for (int spins = 0; packed.get() < packs; spins++) {
                        if (spins < 1 << 12) Thread.onSpinWait();
                        else Thread.yield();
                    }
                    work.accept(t - packs);
                }
            }
        });
    }

    /** Sweeps a packed mc x kc A block against a packed kc x nc B slice, tile by tile. */
    private static void macro(int kc, int mc, int nc, float[] pa, int aOff, float[] pb, int bOff,
                              float[] c, int ci, int ldc, int mode, float beta, float[] scratch) {
        for (int jr = 0; jr < nc; jr += PNR_F32) {
            int nr = Math.min(PNR_F32, nc - jr), bi = bOff + jr * kc;
            for (int ir = 0; ir < mc; ir += PMR_F32) {
                int mr = Math.min(PMR_F32, mc - ir), cij = ci + ir * ldc + jr, ai = aOff + ir * kc;
                if (mr == PMR_F32 && nr == PNR_F32) MicroKernel.packedTile(kc, pa, ai, pb, bi, c, cij, ldc, mode, beta);
                else MicroKernel.edgeTile(kc, pa, ai, pb, bi, c, cij, ldc, mr, nr, mode, beta, scratch);
            }
        }
    }

    /**
     * Whether {@link #prepacked} may read a row-major A in place ({@code -Dsinter.sgemm.packA=true}
     * always packs it, for comparison).
     */
    static final boolean IN_PLACE_A = !Boolean.getBoolean("sinter.sgemm.packA");

    /**
     * Fewest outputs (m x n) for which {@link #prepacked} packs A all the same: there each value of A
     * is used often enough to repay its copy, and the packed tile runs faster than the in-place one
     * (Intel AVX-512, 2 threads: 128x512x784 398 µs packed / 448 in place, 64x768x256 102 / 110,
     * 1024x768x256 1418 / 1718; in place stays ahead on 64x256x256 36 / 49 and 64x120x400 28 / 50).
     */
    static final int PACK_A_MIN_OUTPUTS = tuning("sinter.sgemm.packAMinOutputs", 32768, 1);

    /**
     * {@link #macro} with A unpacked: its rows start at {@code a[ai]}, {@code lda} apart, the slice's
     * depth along each row. Full row tiles read A in place; the last rows, when fewer than a tile,
     * are packed once into a zero-padded panel, so no tile reads past A's last row.
     */
    private static void macroRows(int kc, int mc, int nc, float[] a, int ai, int lda, float[] pb, int bOff,
                                  float[] c, int ci, int ldc, int mode, Workspace ws) {
        int full = mc - mc % PMR_F32;
        // Up to four last rows: the 4-row tile reads them in place (half the 8-row edge tile's work;
        // a dynamic batcher's batches have any size). More: packed into a zero-padded 8-row panel.
        boolean fourRows = MicroKernel.WIDE_F32 && mc - full <= 4;
        if (full < mc && !fourRows) {
            if (ws.edgeRows.length < PMR_F32 * kc) ws.edgeRows = new float[PMR_F32 * kc];
            MicroKernel.packA(false, a, ai, lda, full, mc - full, 0, kc, 1f, ws.edgeRows, 0);
        }
        for (int jr = 0; jr < nc; jr += PNR_F32) {
            int nr = Math.min(PNR_F32, nc - jr), bi = bOff + jr * kc;
            for (int ir = 0; ir < full; ir += PMR_F32) {
                int cij = ci + ir * ldc + jr, ar = ai + ir * lda;
                if (nr == PNR_F32) {
                    MicroKernel.rowsTile(kc, a, ar, lda, pb, bi, c, cij, ldc, mode);
                } else {
                    MicroKernel.rowsTile(kc, a, ar, lda, pb, bi, ws.scratch, 0, PNR_F32, MicroKernel.OVERWRITE);
                    MicroKernel.mergeEdge(ws.scratch, c, cij, ldc, PMR_F32, nr, mode, 0f);
                }
            }
            if (full < mc && fourRows) {
                MicroKernel.tileWide4(kc, a, ai + full * lda, lda, mc - full, pb, bi, ws.scratch);
                MicroKernel.mergeEdge(ws.scratch, c, ci + full * ldc + jr, ldc, mc - full, nr, mode, 0f);
            } else if (full < mc) {
                MicroKernel.edgeTile(kc, ws.edgeRows, 0, pb, bi, c, ci + full * ldc + jr, ldc, mc - full, nr, mode, 0f, ws.scratch);
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
