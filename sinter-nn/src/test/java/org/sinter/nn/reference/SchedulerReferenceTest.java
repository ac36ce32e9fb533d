package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;
import org.sinter.optim.SGD;
import org.sinter.optim.lr.CosineAnnealingLR;
import org.sinter.optim.lr.ExponentialLR;
import org.sinter.optim.lr.LRScheduler;
import org.sinter.optim.lr.LinearLR;
import org.sinter.optim.lr.MultiStepLR;
import org.sinter.optim.lr.OneCycleLR;
import org.sinter.optim.lr.ReduceLROnPlateau;
import org.sinter.optim.lr.SequentialLR;
import org.sinter.optim.lr.StepLR;
import org.sinter.testing.Attrs;
import org.sinter.testing.Compare;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.Tolerances.Rule;

/** Each scheduler against PyTorch: the learning rate of every group (and OneCycle's momentum) per epoch. */
class SchedulerReferenceTest {

    @TestFactory
    List<DynamicTest> schedulersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FixtureFile.NN_MODULES.section("schedulers")) {
            String id = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(id, () -> KnownFailures.run(id, () -> check(c))));
        }
        return tests;
    }

    private static void check(JsonNode c) {
        String id = c.get("id").asText();
        double[] groupLrs = doubles(c.get("groupLrs"));
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : groupLrs) groups.add(ParamGroup.of(Tensor.zeros(1)).set("lr", lr));
        boolean adam = c.get("optimizer").asText().equals("Adam");
        Optimizer opt = adam ? new Adam(groups, Adam.options().lr(groupLrs[0])) : new SGD(groups, SGD.options().lr(groupLrs[0]).momentum(0.9));
        String name = c.get("scheduler").asText();
        JsonNode cfg = c.get("config");
        ReduceLROnPlateau plateau = null;
        LRScheduler sched = null;
        if (name.equals("ReduceLROnPlateau")) plateau = plateau(opt, cfg);
        else sched = build(name, cfg, opt);
        JsonNode lrs = c.get("lrs"), momenta = c.get("momenta");
        for (int e = 0; e <= c.get("steps").asInt(); e++) {
            if (e > 0) {
                if (plateau != null) plateau.step(c.get("metrics").get(e - 1).asDouble());
                else sched.step();
            }
            for (int g = 0; g < groupLrs.length; g++) {
                ParamGroup group = opt.paramGroups().get(g);
                expect(id + " epoch " + e + " group " + g + " lr", group.lr(), lrs.get(e).get(g).asDouble());
                if (momenta != null) {
                    double m = adam ? group.getList("betas").get(0) : group.getDouble("momentum");
                    expect(id + " epoch " + e + " group " + g + " momentum", m, momenta.get(e).get(g).asDouble());
                }
            }
        }
    }

    private static void expect(String what, double actual, double expected) {
        Compare.assertClose(what, actual, expected, Rule.SCHEDULER_RATE.of(DType.FLOAT64));
    }

    private static double[] doubles(JsonNode arr) {
        double[] out = new double[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asDouble();
        return out;
    }

    private static double d(JsonNode cfg, String k, double dflt) { return cfg.has(k) ? cfg.get(k).asDouble() : dflt; }

    private static int i(JsonNode cfg, String k, int dflt) { return cfg.has(k) ? cfg.get(k).asInt() : dflt; }

    static LRScheduler build(String name, JsonNode cfg, Optimizer opt) {
        return switch (name) {
            case "StepLR" -> new StepLR(opt, i(cfg, "step_size", 1), d(cfg, "gamma", 0.1));
            case "MultiStepLR" -> new MultiStepLR(opt, Attrs.intArray(cfg.get("milestones")), d(cfg, "gamma", 0.1));
            case "ExponentialLR" -> new ExponentialLR(opt, d(cfg, "gamma", 0));
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, i(cfg, "T_max", 1), d(cfg, "eta_min", 0));
            case "LinearLR" -> new LinearLR(opt, d(cfg, "start_factor", 1.0 / 3), d(cfg, "end_factor", 1.0), i(cfg, "total_iters", 5));
            case "OneCycleLR" -> {
                OneCycleLR.Options o = OneCycleLR.options().totalSteps(i(cfg, "total_steps", -1)).epochs(i(cfg, "epochs", -1))
                        .stepsPerEpoch(i(cfg, "steps_per_epoch", -1)).pctStart(d(cfg, "pct_start", 0.3))
                        .annealStrategy(cfg.path("anneal_strategy").asText("cos")).cycleMomentum(cfg.path("cycle_momentum").asBoolean(true))
                        .threePhase(cfg.path("three_phase").asBoolean(false)).divFactor(d(cfg, "div_factor", 25))
                        .finalDivFactor(d(cfg, "final_div_factor", 1e4));
                JsonNode max = cfg.get("max_lr");
                yield max.isArray() ? new OneCycleLR(opt, doubles(max), o) : new OneCycleLR(opt, max.asDouble(), o);
            }
            case "SequentialLR" -> {
                List<LRScheduler> parts = new ArrayList<>();
                for (JsonNode s : cfg.get("schedulers")) parts.add(build(s.get(0).asText(), s.get(1), opt));
                yield new SequentialLR(opt, parts, Attrs.intArray(cfg.get("milestones")));
            }
            default -> throw new IllegalArgumentException("no Sinter scheduler " + name);
        };
    }

    private static ReduceLROnPlateau plateau(Optimizer opt, JsonNode cfg) {
        return new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().mode(cfg.path("mode").asText("min")).factor(d(cfg, "factor", 0.1))
                .patience(i(cfg, "patience", 10)).threshold(d(cfg, "threshold", 1e-4)).thresholdMode(cfg.path("threshold_mode").asText("rel"))
                .cooldown(i(cfg, "cooldown", 0)).minLr(d(cfg, "min_lr", 0)).eps(d(cfg, "eps", 1e-8)));
    }
}
