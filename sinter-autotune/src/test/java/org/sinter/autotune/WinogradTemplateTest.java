package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;
import org.sinter.autotune.apply.ApplyHistoryBest;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.schedule.Loop;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.space.WinogradTemplate;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Reference;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.codegen.TunedKernels;
import org.sinter.nn.functional.F;

class WinogradTemplateTest {
    private static final Measurer.Options QUICK = Measurer.Options.defaults().quick();

    /** 5 -> 12 channels, a 9 x 11 plane, "same" padding: neither tile size divides the plane, the tiles do not fill a vector. */
    private static final ConvParams ODD = new ConvParams(1, 5, 9, 11, 12, 3, 3, 1, 1, 1, 1);

    private static Config config(Template t, int m, int rows, int lanes, int tileI, int tileJ, int tileK, int unrollK, int outer, int split) {
        return t.space().of(Map.of("m", m, "rows", rows, "lanes", lanes, "tile_i", tileI, "tile_j", tileJ, "tile_k", tileK,
                "unroll_k", unrollK, "outer_order", outer, "split", split));
    }

    @Test
    void appliesToThreeByThreeStrideOneConvolutionsOnly() {
        ComputeDecl same = Operators.conv2d(ODD);
        assertTrue(WinogradTemplate.applies(same));
        assertEquals(List.of("conv2d_nchw_direct", WinogradTemplate.NAME), Templates.all(same).stream().map(Template::name).toList());
        for (ConvParams p : List.of(new ConvParams(1, 8, 10, 10, 16, 3, 3, 2, 1, 1, 1), new ConvParams(1, 8, 10, 10, 16, 1, 1, 1, 0, 1, 1),
                new ConvParams(1, 8, 10, 10, 16, 3, 3, 1, 2, 2, 1), new ConvParams(1, 8, 10, 10, 16, 3, 3, 1, 1, 1, 2))) {
            ComputeDecl d = Operators.conv2d(p);
            assertFalse(WinogradTemplate.applies(d), d.workload());
            assertEquals(1, Templates.all(d).size(), d.workload());
            var e = assertThrows(IllegalArgumentException.class, () -> new WinogradTemplate(d));
            assertTrue(e.getMessage().contains(WinogradTemplate.NAME) && e.getMessage().contains(d.workload()), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Templates.named("no_such_template", same));
        assertTrue(e.getMessage().contains("no_such_template") && e.getMessage().contains(same.workload()), e.getMessage());
    }

    @Test
    void spaceHasTheTileSizeChunksAndTheProductsRegisterTile() {
        Template t = new WinogradTemplate(Operators.conv2d(new ConvParams(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1)));
        var knobs = t.space().describe();
        assertEquals(List.of(2, 4), knobs.get("m"));
        assertEquals(List.of(2), new WinogradTemplate(Operators.conv2d(new ConvParams(1, 512, 7, 7, 512, 3, 3, 1, 1, 1, 1))).space().describe().get("m"),
                "F(4x4) only where the built-in runs it: not on 7² at batch 1 (4 tiles)");
        assertEquals(List.of(1, 2, 4, 6, 8), knobs.get("tile_i"), "the divisors of K up to 8 and the built-in product's 6 rows");
        assertEquals(List.of(8, 16, 32, 64), knobs.get("tile_k"));
        assertEquals(List.of(1, 2, 4, 7, 8, 14, 28), knobs.get("rows"), "tile rows per chunk, up to F(2x2)'s whole plane");
        assertTrue(knobs.keySet().containsAll(List.of("lanes", "tile_j", "unroll_k", "outer_order", "split")), knobs.toString());
        assertEquals(1e-6, t.tolerance(config(t, 2, 1, 4, 1, 1, 8, 1, 0, 0)));
        assertEquals(1e-5, t.tolerance(config(t, 4, 1, 4, 1, 1, 8, 1, 0, 0)));
        // The bound grows with the square root of the channels: C9's 256 channels double it, enough for the built-in's own F(4x4) (1.11e-5).
        Template c9 = new WinogradTemplate(Operators.conv2d(new ConvParams(1, 256, 14, 14, 256, 3, 3, 1, 1, 1, 1)));
        assertEquals(2e-5, c9.tolerance(c9.seeds().getFirst()), 1e-12);
        // 56 / 4 = 14 tile rows of F(4x4): a chunk of 28 rows is past the plane.
        var e = assertThrows(IllegalArgumentException.class, () -> t.apply(config(t, 4, 28, 4, 1, 1, 8, 1, 0, 0)));
        assertTrue(e.getMessage().startsWith("invalid configuration") && e.getMessage().contains("14 rows"), e.getMessage());
    }

    @Test
    void theTunedPartIsTheBatchedProductOfThePointsReadInPlaceAtOddLineStrides() {
        Template t = new WinogradTemplate(Operators.conv2d(new ConvParams(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1)));
        // F(4x4): 36 points; 2 chunks of 7 tile rows x 14 tiles = 98 tiles, rounded up to whole vectors of the core's species.
        Schedule s = t.apply(config(t, 4, 7, 8, 4, 2, 32, 2, 1, 0));
        ComputeDecl p = s.decl();
        assertEquals("winograd_product", p.op());
        assertEquals(36, p.axis("b").extent());
        assertEquals(64, p.axis("i").extent());
        assertEquals(64, p.axis("k").extent());
        int stride = p.axis("j").extent();
        assertTrue(stride >= 98 && stride < 98 + 16 && stride % 8 == 0, "tiles per chunk " + stride);
        assertEquals(java.util.Set.of("U"), s.packings().keySet(), "V is read in place, not packed each call; U (constant) packed by register tile rows");
        // V's points lie an odd number of cache lines apart (not 64 x stride floats, a multiple of 4 KB).
        int vPoint = p.input("V").size() / 36;
        assertTrue(vPoint >= 64 * stride && vPoint % 16 == 0 && (vPoint / 16) % 2 == 1, "V point stride " + vPoint);
        assertEquals(0, p.outSize() % 36);
        assertTrue((p.outSize() / 36 / 16) % 2 == 1, "M point stride " + p.outSize() / 36);
        List<Loop> loops = s.loops();
        assertEquals(Loop.Kind.PARALLEL, loops.getFirst().kind());
        assertEquals(List.of("b", "j_o", "i_o"), loops.getFirst().fusedOf(),
                "outer_order 1: tile vectors outside output-channel blocks: " + loops.getFirst());
        assertEquals(Loop.Kind.VECTORIZED, loops.getLast().kind());
        assertEquals(8, loops.getLast().extent());
    }

    @Test
    void everyValidConfigurationComputesTheConvolutionOnOddGeometries() {
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (ConvParams p : List.of(ODD, new ConvParams(2, 4, 7, 6, 8, 3, 3, 1, 0, 1, 1), new ConvParams(1, 16, 20, 18, 16, 3, 3, 1, 1, 1, 1))) {
            ComputeDecl d = Operators.conv2d(p);
            Template t = new WinogradTemplate(d);
            List<float[]> in = Inputs.random(d, 7);
            float[] want = Reference.run(d, in);
            int built = 0;
            for (int m : t.space().describe().get("m")) {
                // Tile rows: ODD's 5 (F(2x2)), the second's 3, the third's 10 and 5: 2 and 4 rows per chunk leave a narrower last chunk.
                for (int rows : List.of(1, 2, 4)) {
                    if (!t.space().describe().get("rows").contains(rows)) continue;
                    for (int outer : List.of(0, 1)) {
                        for (int split : List.of(0, 1, 2)) {
                            // 6 rows pad K (12, 8, 16) with zero rows to whole register tiles where it does not divide it.
                            int tileI = split == 1 ? 6 : t.space().describe().get("tile_i").getLast();
                            Config c = config(t, m, rows, 4, tileI, 1 + outer, p.c() == 16 ? 8 : p.c(), p.c() == 16 ? 2 : 1, outer, split);
                            Schedule s;
                            try {
                                s = t.apply(c);
                            } catch (IllegalArgumentException invalid) {
                                assertTrue(invalid.getMessage().startsWith("invalid configuration"), invalid.getMessage());
                                continue;
                            }
                            Kernel k = t.build(c, s);
                            float[] out = new float[d.outSize()];
                            k.prepareConstants(in);
                            k.run(in, new int[3], out, 0);
                            double err = Inputs.maxRelError(out, want);
                            assertTrue(err < t.tolerance(c), d.workload() + " " + c + ": relative error " + err);
                            built++;
                            seen.add("m=" + m + " rows=" + rows + " split=" + split);
                        }
                    }
                }
            }
            assertTrue(built >= 4, d.workload() + ": only " + built + " configurations built");
        }
        assertTrue(seen.containsAll(java.util.Set.of("m=2 rows=2 split=0", "m=2 rows=2 split=1", "m=4 rows=2 split=1", "m=2 rows=4 split=0",
                        "m=4 rows=4 split=1", "m=2 rows=1 split=1", "m=2 rows=2 split=2", "m=4 rows=2 split=2")),
                "tile sizes, ragged chunks and both splits covered: " + seen);
    }

    @Test
    void theSpaceContainsTheBuiltInWinogradsScheduleAndTheTunerMeasuresItFirst() {
        // ResNet-18's C2, C6, C9 and C12 on two threads: the built-in's plan is a valid point of the space.
        for (ConvParams p : List.of(new ConvParams(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1), new ConvParams(1, 128, 28, 28, 128, 3, 3, 1, 1, 1, 1),
                new ConvParams(1, 256, 14, 14, 256, 3, 3, 1, 1, 1, 1), new ConvParams(1, 512, 7, 7, 512, 3, 3, 1, 1, 1, 1))) {
            WinogradTemplate t = new WinogradTemplate(Operators.conv2d(p));
            var g = org.sinter.autotune.lower.WinogradKernel.geometry(p);
            int m = org.sinter.kernels.conv.WinogradConv.tileSize(g, 1);
            var plan = org.sinter.kernels.conv.WinogradConv.plan(g, 1, m, 2);
            Config c = t.builtinConfig(2);
            assertEquals(m, c.get("m"));
            assertEquals(plan.rowsPerChunk(), c.get("rows"));
            assertEquals(plan.productRows(), c.get("tile_i"));
            assertTrue(c.get("tile_j") == plan.productVectors() || c.get("tile_j") == 1, c.toString());
            assertEquals(Math.min(p.c(), 256), c.get("tile_k"));
            assertEquals(plan.split() ? 1 : 2, c.get("split"));
            t.apply(c); // a valid point of the space
        }
        // The tuner's first trial is the template's seed, whatever the explorer proposes.
        ComputeDecl d = Operators.conv2d(new ConvParams(1, 16, 20, 18, 16, 3, 3, 1, 1, 1, 1));
        WinogradTemplate t = new WinogradTemplate(d);
        List<Config> measured = new java.util.ArrayList<>();
        Tuner.Measure fake = (tt, c) -> {
            measured.add(c);
            return new MeasureResult(List.of(1e-3), null, 0);
        };
        new Tuner(t, fake, null, new RandomExplorer(), null, 4, 3).tune(6, null);
        assertEquals(t.seeds().getFirst(), measured.getFirst());
        assertEquals(6, new java.util.HashSet<>(measured).size(), "the seed is not measured again: " + measured);
    }

    @Test
    void inputsAtOffsetsAndAFilterTransformedPerCall() {
        // 9 rows: 5 rows of F(2x2) tiles in chunks of 2, 2 and 1; 8 output channels padded to 12 for register tiles of 6.
        ConvParams p = new ConvParams(1, 4, 9, 6, 8, 3, 3, 1, 1, 1, 1);
        ComputeDecl d = Operators.conv2d(p);
        Template t = new WinogradTemplate(d);
        Config c = config(t, 2, 2, 4, 6, 1, 4, 2, 0, 1);
        List<float[]> in = Inputs.random(d, 11);
        float[] want = Reference.run(d, in);
        List<float[]> shifted = in.stream().map(a -> {
            float[] b = new float[a.length + 3];
            System.arraycopy(a, 0, b, 3, a.length);
            return b;
        }).toList();
        float[] out = new float[d.outSize() + 5];
        t.build(c, t.apply(c)).run(shifted, new int[] {3, 3, 3}, out, 5);
        assertTrue(Inputs.maxRelError(java.util.Arrays.copyOfRange(out, 5, out.length), want) < 1e-6);
    }

    @Test
    void tunedThroughTheMeasurerAndLogAndBuiltBackFromItsBestRecord(@TempDir Path dir) {
        ComputeDecl d = Operators.conv2d(ODD);
        Template t = new WinogradTemplate(d);
        TuningLog log = new TuningLog(dir.resolve("wino.jsonl"));
        try (Measurer m = new Measurer(d, Inputs.random(d, 3), QUICK)) {
            Tuner.Result r = new Tuner(t, Tuner.of(m), log, new RandomExplorer(), null, 4, 1).tune(24, null);
            assertEquals(24, r.trials());
            for (TuningRecord rec : log.read()) {
                assertTrue(rec.ok() || rec.error().startsWith("invalid configuration"), rec.config() + ": " + rec.error());
            }
            assertTrue(r.bestGflops() > 0, "no valid candidate in 24");
            MeasureResult again = m.measure(t, r.best());
            assertTrue(again.ok(), String.valueOf(again.error()));
        }
        TuningRecord best = new TuningLog(log.file()).best(d.workload()).orElseThrow();
        assertEquals(WinogradTemplate.NAME, best.template());
        Template back = Templates.named(best.template(), Operators.conv2d(ODD));
        Config c = back.space().of(best.config());
        List<float[]> in = Inputs.random(d, 9);
        float[] out = new float[d.outSize()];
        Kernel k = back.build(c, back.apply(c));
        k.prepareConstants(in);
        k.run(in, new int[3], out, 0);
        assertTrue(Inputs.maxRelError(out, Reference.run(d, in)) < back.tolerance(c));
    }

    @Test
    void aCompiledConvolutionRunsTheLoggedWinogradKernel(@TempDir Path dir) {
        ConvParams p = new ConvParams(1, 8, 16, 16, 16, 3, 3, 1, 1, 1, 1);
        ComputeDecl d = Operators.conv2d(p);
        TuningLog log = new TuningLog(dir.resolve("wino.jsonl"));
        try (Measurer m = new Measurer(d, Inputs.random(d, 1), QUICK)) {
            new Tuner(new WinogradTemplate(d), Tuner.of(m), log, new RandomExplorer(), null, 4, 1).tune(8, null);
        }
        ApplyHistoryBest best = ApplyHistoryBest.load(log.file());
        assertEquals(WinogradTemplate.NAME, best.applied(d.workload()).template());
        List<float[]> in = Inputs.random(d, 4);
        Tensor x = Tensor.of(in.get(0), 1, 8, 16, 16), w = Tensor.of(in.get(1), 16, 8, 3, 3), b = Tensor.of(in.get(2), 16);
        List<String> used = new java.util.ArrayList<>();
        TunedKernels counting = (geom, batch, weight, off) -> {
            var k = best.conv2d(geom, batch, weight, off);
            used.add(k == null ? "built-in" : "tuned");
            return k;
        };
        CompiledFunction f;
        try (var _ = TunedKernels.use(counting)) {
            f = Compiler.compile(args -> new Tensor[] {F.relu(F.conv2d(args[0], w, b, 1, 1))}, Map.of("weight", w, "bias", b),
                    CompileOptions.defaults().withFrozenParameters());
            f.programFor(x);
        }
        assertEquals(List.of("tuned"), used);
        float[] got = f.call(x)[0].toFloatArray(), want = Reference.run(d, in);
        for (int i = 0; i < want.length; i++) want[i] = Math.max(0, want[i]);
        assertTrue(Inputs.maxRelError(got, want) < 1e-5, "compiled with the Winograd kernel: " + Inputs.maxRelError(got, want));
    }
}
