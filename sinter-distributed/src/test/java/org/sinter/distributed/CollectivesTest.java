package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.distributed.collectives.AllReduce;
import org.sinter.distributed.transport.Transport;

/**
 * Every collective against the single-process reference ({@link Values}), for world sizes 1–8,
 * every dtype, empty sizes and sizes not divisible by the world size, over TCP and shared memory.
 */
class CollectivesTest {
    static final int[] SIZES = {0, 1, 13, 1001};

    static Stream<Arguments> worlds() {
        List<Arguments> out = new ArrayList<>();
        for (Transport t : new Transport[] {Transport.TCP, Transport.SHM}) for (int w = 1; w <= 8; w++) out.add(Arguments.of(w, t));
        return out.stream();
    }

    @ParameterizedTest(name = "world {0} over {1}")
    @MethodSource("worlds")
    void allReduceEveryAlgorithmOpAndDtype(int world, Transport transport) {
        List<List<double[]>> perRank = Ranks.run(world, transport, pg -> {
            assertEquals(world == 1 ? List.of("self") : expectedKinds(pg, transport), pg.transports());
            List<double[]> results = new ArrayList<>();
            for (AllReduce algo : AllReduce.values()) for (DType dt : Values.ALL) for (ReduceOp op : ReduceOp.values()) for (int n : SIZES) {
                Tensor t = Values.tensor(dt, pg.rank(), n, 0);
                pg.allReduceAsync(t, op, algo).await();
                assertEquals(dt, t.dtype());
                double[] got = Values.doubles(t);
                for (int i = 0; i < n; i++) {
                    Values.assertClose(algo + " " + op + " n=" + n + " rank " + pg.rank() + " [" + i + "]", dt, Values.reference(dt, op, world, i), got[i]);
                }
                results.add(got);
            }
            return results;
        });
        // Every rank holds the same bits, whatever the algorithm.
        for (int r = 1; r < world; r++) {
            for (int k = 0; k < perRank.get(0).size(); k++) assertArrayEquals(perRank.get(0).get(k), perRank.get(r).get(k), "rank " + r + " differs from rank 0, case " + k);
        }
    }

    /**
     * The pipelined ring cut into many 256-byte segments (sends queue up behind a whole block, the
     * off-heap slots are taken in turn and reused) over TCP by its three paths: the link reading
     * and writing the tensors' arrays in place (the default on Linux), and with the link's staging
     * copy ({@code sinter.tcp.heapDirect=false}) forwarding through the slots and directly. The
     * reference values, and the same bits all three ways.
     */
    @ParameterizedTest(name = "world {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 4})
    void pipelinedRingGivesTheSameBitsInPlaceThroughSlotsAndStaged(int world) {
        String segment = System.getProperty("sinter.ring.segmentBytes"), forward = System.getProperty("sinter.ring.scratchForward"),
                inPlace = System.getProperty("sinter.tcp.heapDirect");
        System.setProperty("sinter.ring.segmentBytes", "256"); // this module's tests run one at a time
        try {
            List<List<double[]>> byPath = new ArrayList<>();
            String[][] paths = {{"true", "true"}, {"false", "true"}, {"false", "false"}}; // heapDirect, scratchForward
            for (String[] path : paths) {
                System.setProperty("sinter.tcp.heapDirect", path[0]);
                System.setProperty("sinter.ring.scratchForward", path[1]);
                String name = "in place " + path[0] + ", slots " + path[1];
                List<List<double[]>> perRank = Ranks.run(world, Transport.TCP, pg -> {
                    List<double[]> results = new ArrayList<>();
                    for (DType dt : Values.ALL) for (ReduceOp op : ReduceOp.values()) for (int n : new int[] {1001, 4099}) {
                        Tensor t = Values.tensor(dt, pg.rank(), n, 0);
                        pg.allReduceAsync(t, op, AllReduce.RING).await();
                        double[] got = Values.doubles(t);
                        for (int i = 0; i < n; i++) {
                            Values.assertClose(name + " " + op + " n=" + n + " rank " + pg.rank() + " [" + i + "]", dt, Values.reference(dt, op, world, i), got[i]);
                        }
                        results.add(got);
                    }
                    return results;
                });
                for (int r = 1; r < world; r++) {
                    for (int k = 0; k < perRank.get(0).size(); k++) assertArrayEquals(perRank.get(0).get(k), perRank.get(r).get(k), name + ": rank " + r + " differs from rank 0, case " + k);
                }
                byPath.add(perRank.getFirst());
            }
            for (int p = 1; p < paths.length; p++) {
                for (int k = 0; k < byPath.get(0).size(); k++) {
                    assertArrayEquals(byPath.get(0).get(k), byPath.get(p).get(k), "in place and path " + Arrays.toString(paths[p]) + " differ, case " + k);
                }
            }
        } finally {
            restore("sinter.ring.segmentBytes", segment);
            restore("sinter.ring.scratchForward", forward);
            restore("sinter.tcp.heapDirect", inPlace);
        }
    }

    @Test
    void aTracedRingPrintsEachRanksTimeline() {
        String segment = System.getProperty("sinter.ring.segmentBytes"), trace = System.getProperty("sinter.ring.trace");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setProperty("sinter.ring.segmentBytes", "256");
        System.setProperty("sinter.ring.trace", "true");
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Ranks.run(3, Transport.TCP, pg -> {
                pg.allReduceAsync(Values.tensor(DType.FLOAT32, pg.rank(), 4099, 0), ReduceOp.SUM, AllReduce.RING).await();
                return null;
            });
        } finally {
            System.setErr(err);
            restore("sinter.ring.segmentBytes", segment);
            restore("sinter.ring.trace", trace);
        }
        List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("sinter-ring-trace ")).toList();
        assertEquals(3, lines.size(), lines.toString());
        java.util.Set<String> ranks = new java.util.TreeSet<>();
        for (String l : lines) {
            String[] f = l.split(" ");
            ranks.add(f[2]);
            long end = Long.parseLong(f[6]);
            int at = java.util.Arrays.asList(f).indexOf("arrivals"), waits = java.util.Arrays.asList(f).indexOf("slot-waits");
            // Blocks of 1 367 or 1 366 floats in 256-byte segments: 22 each, 2 (n - 1) blocks received.
            assertEquals(4 * 22, waits - at - 1, l);
            long last = -1;
            for (int i = at + 1; i < waits; i++) {
                long t = Long.parseLong(f[i]);
                assertTrue(t >= last && t <= end, "arrivals in order, before the end: " + l);
                last = t;
            }
        }
        assertEquals(java.util.Set.of("0", "1", "2"), ranks);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private static List<String> expectedKinds(ProcessGroup pg, Transport transport) {
        List<String> k = new ArrayList<>();
        for (int p = 0; p < pg.size(); p++) k.add(p == pg.rank() ? "self" : transport == Transport.TCP ? "tcp" : "shm");
        return k;
    }

    @ParameterizedTest(name = "world {0} over {1}")
    @MethodSource("worlds")
    void rootedAndPersonalizedCollectives(int world, Transport transport) {
        Ranks.run(world, transport, pg -> {
            int r = pg.rank();
            for (DType dt : Values.ALL) for (int n : SIZES) {
                String c = dt + " n=" + n + " rank " + r + ": ";
                // broadcast from the last rank
                Tensor b = Values.tensor(dt, r, n, 0);
                pg.broadcast(b, world - 1);
                assertArrayEquals(Values.doubles(Values.tensor(dt, world - 1, n, 0)), Values.doubles(b), c + "broadcast");

                // reduce to rank world/2: the others' tensors stay as they were
                int dst = world / 2;
                Tensor red = Values.tensor(dt, r, n, 0);
                pg.reduce(red, dst, ReduceOp.SUM);
                double[] got = Values.doubles(red);
                for (int i = 0; i < n; i++) {
                    double want = r == dst ? Values.reference(dt, ReduceOp.SUM, world, i) : Values.value(dt, r, i);
                    Values.assertClose(c + "reduce[" + i + "]", dt, want, got[i]);
                }

                // all-gather with a different size on each rank
                List<Tensor> gathered = new ArrayList<>();
                for (int j = 0; j < world; j++) gathered.add(Values.of(dt, new double[unevenCount(n, j)]));
                pg.allGather(gathered, Values.tensor(dt, r, unevenCount(n, r), 0));
                for (int j = 0; j < world; j++) assertArrayEquals(Values.doubles(Values.tensor(dt, j, unevenCount(n, j), 0)), Values.doubles(gathered.get(j)), c + "allGather " + j);

                // all-gather into one tensor
                Tensor flat = Values.of(dt, new double[n * world]);
                pg.allGatherIntoTensor(flat, Values.tensor(dt, r, n, 0));
                double[] f = Values.doubles(flat);
                for (int j = 0; j < world; j++) assertArrayEquals(Values.doubles(Values.tensor(dt, j, n, 0)), Arrays.copyOfRange(f, j * n, (j + 1) * n), c + "allGatherIntoTensor " + j);

                // reduce-scatter with uneven blocks: block j of every rank is reduced onto rank j
                for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX, ReduceOp.AVG}) {
                    List<Tensor> in = new ArrayList<>();
                    for (int j = 0; j < world; j++) in.add(Values.tensor(dt, r, unevenCount(n, j), offsetOf(n, j)));
                    Tensor out = Values.of(dt, new double[unevenCount(n, r)]);
                    pg.reduceScatter(out, in, op);
                    double[] o = Values.doubles(out);
                    for (int i = 0; i < o.length; i++) Values.assertClose(c + "reduceScatter " + op + "[" + i + "]", dt, Values.reference(dt, op, world, offsetOf(n, r) + i), o[i]);
                }

                // gather to rank 0, scatter from the last rank
                List<Tensor> gl = new ArrayList<>();
                for (int j = 0; j < world; j++) gl.add(Values.of(dt, new double[n]));
                pg.gather(Values.tensor(dt, r, n, 0), r == 0 ? gl : null, 0);
                if (r == 0) for (int j = 0; j < world; j++) assertArrayEquals(Values.doubles(Values.tensor(dt, j, n, 0)), Values.doubles(gl.get(j)), c + "gather " + j);
                List<Tensor> sl = new ArrayList<>();
                for (int j = 0; j < world; j++) sl.add(Values.tensor(dt, world - 1, n, 100 * j));
                Tensor so = Values.of(dt, new double[n]);
                pg.scatter(so, r == world - 1 ? sl : null, world - 1);
                assertArrayEquals(Values.doubles(Values.tensor(dt, world - 1, n, 100 * r)), Values.doubles(so), c + "scatter");

                // all-to-all with a different size for every pair: i sends (i + 2j) % 4 + n elements to j
                List<Tensor> ins = new ArrayList<>(), outs = new ArrayList<>();
                for (int j = 0; j < world; j++) {
                    ins.add(Values.tensor(dt, r, pairCount(n, r, j), 1000L * j));
                    outs.add(Values.of(dt, new double[pairCount(n, j, r)]));
                }
                pg.allToAll(outs, ins);
                for (int j = 0; j < world; j++) assertArrayEquals(Values.doubles(Values.tensor(dt, j, pairCount(n, j, r), 1000L * r)), Values.doubles(outs.get(j)), c + "allToAll from " + j);
            }
            pg.barrier();
            return null;
        });
    }

    static int unevenCount(int n, int j) {
        return n == 0 ? 0 : n + j % 3;
    }

    static int offsetOf(int n, int j) {
        int o = 0;
        for (int k = 0; k < j; k++) o += unevenCount(n, k);
        return o;
    }

    static int pairCount(int n, int from, int to) {
        return n == 0 ? 0 : n + (from + 2 * to) % 4;
    }
}
