package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.autotune.lower.BuiltKernel;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Expr.UnaryFn;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Reference;

/** Hand-written schedules of every declaration, each built and compared with the reference kernel. */
class ScheduleLoweringTest {
    private static void check(Schedule s) {
        ComputeDecl d = s.decl();
        List<float[]> in = Inputs.random(d, 7);
        BuiltKernel k = BuiltKernel.build(s);
        k.prepareConstants(in);
        float[] got = k.run(in), want = Reference.run(d, in);
        double err = Inputs.maxRelError(got, want);
        assertTrue(err < 1e-5, d.workload() + " [" + s + "]: relative error " + err + "\n" + k.source());
    }

    @Test
    void naiveScheduleOfEveryDeclaration() {
        check(new Schedule(Operators.matmul(5, 7, 3)));
        check(new Schedule(Operators.bmm(2, 3, 4, 5)));
        check(new Schedule(Operators.dense(3, 6, 5, UnaryFn.SIGMOID)));
        check(new Schedule(Operators.conv2d(new ConvParams(2, 4, 7, 6, 6, 3, 3, 2, 1, 1, 2))));
        check(new Schedule(Operators.depthwiseConv2d(new ConvParams(1, 3, 6, 6, 3, 3, 3, 1, 1, 1, 3))));
        check(new Schedule(Operators.conv2dNCHWc(new ConvParams(1, 8, 5, 5, 8, 3, 3, 1, 1, 2, 1), 4, 4)));
        check(new Schedule(Operators.rowRms(4, 9)));
    }

    @Test
    void matmulTiledVectorisedInRegistersWithPackedB() {
        Schedule s = new Schedule(Operators.matmul(12, 32, 20));
        s.species(8);
        String[] i = s.split("i", 3), j = s.split("j", 16), k = s.split("k", 4);
        String[] jv = s.split(j[1], 8);
        s.reorder(i[0], j[0], k[0], k[1], i[1], jv[0], jv[1]);
        s.pack("B", 1, 16, 1, 0, 2);
        s.cacheWrite(j[0]);
        s.unroll(i[1]);
        s.unroll(jv[0]);
        s.vectorize(jv[1]);
        s.parallel(i[0]);
        check(s);
    }

    @Test
    void denseEpilogueVectorised() {
        Schedule s = new Schedule(Operators.dense(4, 24, 10, UnaryFn.RELU));
        s.species(8);
        String[] j = s.split("j", 8);
        s.reorder("i", j[0], "k", j[1]);
        s.pack("W", 0, 8, 0, 2, 1); // W[N,K] → [N/8][K][8]
        s.unroll("k");
        s.vectorize(j[1]);
        check(s);
    }

    @Test
    void convDirectNchwVectorisedOverOutputChannels() {
        // Strided, padded, dilated: the halo is staged, the filter packed with output channels innermost.
        Schedule s = new Schedule(Operators.conv2d(new ConvParams(1, 6, 9, 11, 16, 3, 3, 2, 2, 2, 1)));
        s.species(8);
        String[] kk = s.split("kk", 8), ow = s.split("ow", 2);
        s.reorder("n", "g", kk[0], "oh", ow[0], "c", "r", "s", ow[1], kk[1]);
        s.pack("W", 0, 8, 0, 2, 3, 4, 1);
        s.fuse("n", "g");
        s.cacheWrite(ow[0]);
        s.unroll(ow[1]);
        s.vectorize(kk[1]);
        s.parallel("n_g_f");
        check(s);
    }

    @Test
    void depthwiseVectorisedAlongWidthWithArrayAccumulator() {
        Schedule s = new Schedule(Operators.depthwiseConv2d(new ConvParams(1, 4, 8, 16, 4, 3, 3, 1, 1, 1, 4)));
        s.species(4);
        String[] ow = s.split("ow", 4);
        s.reorder("n", "c", "oh", ow[0], "r", "s", ow[1]);
        s.cacheWrite("oh"); // the accumulator spans ow: an array, not registers
        s.vectorize(ow[1]);
        check(s);
    }

    @Test
    void reductionVectorisedAlongTheSum() {
        Schedule s = new Schedule(Operators.rowRms(5, 32));
        s.species(8);
        String[] j = s.split("j", 8);
        s.vectorize(j[1]);
        check(s);
        Schedule t = new Schedule(Operators.rowRms(5, 32));
        t.species(4);
        String[] tj = t.split("j", 4);
        t.cacheWrite("i");
        t.vectorize(tj[1]);
        t.parallel("i");
        check(t);
    }

    @Test
    void brokenSchedulesFailWithTheirReason() {
        Schedule s = new Schedule(Operators.matmul(8, 8, 8));
        s.vectorize("i");
        var e = assertThrows(IllegalArgumentException.class, () -> BuiltKernel.build(s));
        assertTrue(e.getMessage().contains("innermost"), e.getMessage());
        Schedule t = new Schedule(Operators.matmul(8, 8, 8));
        t.reorder("i", "k", "j");
        t.cacheWrite("j");
        var f = assertThrows(IllegalArgumentException.class, () -> BuiltKernel.build(t));
        assertTrue(f.getMessage().contains("inside reduce loop"), f.getMessage());
        Schedule u = new Schedule(Operators.matmul(8, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> u.split("i", 3));
        Schedule v = new Schedule(Operators.matmul(8, 8, 8));
        v.pack("B", 1, 4);
        v.split("j", 2);
        var g = assertThrows(IllegalArgumentException.class, () -> BuiltKernel.build(v));
        assertTrue(g.getMessage().contains("does not split"), g.getMessage());
        assertEquals("matmul(8,8,8)", v.decl().workload());
    }
}
