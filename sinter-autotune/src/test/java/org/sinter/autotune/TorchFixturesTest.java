package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.sinter.autotune.lower.BuiltKernel;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Reference;
import org.sinter.autotune.te.Workloads;

/**
 * Every declaration against PyTorch (fixtures from tools/fixtures/gen_autotune.py): the reference
 * kernel, and kernels built from random valid configurations of its template (the naive schedule
 * and a split, vectorised one for the blocked layout, which has no template).
 */
class TorchFixturesTest {
    @Test
    void declarationsAndTunedKernelsMatchPyTorch() throws IOException {
        JsonNode root;
        try (InputStream in = new GZIPInputStream(TorchFixturesTest.class.getResourceAsStream("/fixtures/autotune_torch.json.gz"))) {
            root = new ObjectMapper().readTree(in);
        }
        int kernels = 0;
        for (JsonNode c : root.get("cases")) {
            ComputeDecl d = Workloads.parse(c.get("workload").asText());
            List<float[]> inputs = new ArrayList<>();
            for (JsonNode a : c.get("inputs")) inputs.add(floats(a));
            float[] want = floats(c.get("output"));
            assertEquals(d.outSize(), want.length, d.workload());
            assertTrue(Measurer.maxRelativeError(Reference.run(d, inputs), want) < 1e-5, d.workload() + ": reference kernel");
            List<Schedule> schedules = new ArrayList<>();
            if (d.op().equals("conv2d_nchwc")) {
                schedules.add(new Schedule(d));
                Schedule s = new Schedule(d);
                s.species(4);
                s.reorder("n", "ko", "oh", "ow", "co", "ci", "r", "s", "ki");
                s.cacheWrite("ow");
                s.unroll("s");
                s.vectorize("ki");
                s.parallel("n");
                schedules.add(s);
            } else {
                Template t = Templates.of(d);
                Random r = new Random(11);
                for (int tries = 0; schedules.size() < 3 && tries < 200; tries++) {
                    try {
                        schedules.add(t.apply(t.space().random(r)));
                    } catch (IllegalArgumentException e) {
                        // an invalid configuration: draw again
                    }
                }
            }
            assertTrue(schedules.size() >= 2, d.workload() + ": too few valid configurations");
            for (Schedule s : schedules) {
                BuiltKernel k = BuiltKernel.build(s);
                k.prepareConstants(inputs);
                double err = Measurer.maxRelativeError(k.run(inputs), want);
                assertTrue(err < 1e-5, d.workload() + " [" + s + "]: error " + err);
                kernels++;
            }
        }
        assertTrue(kernels >= 30, "kernels checked: " + kernels);
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }
}
