package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Tensor;
import org.sinter.optim.Adadelta;
import org.sinter.optim.Adagrad;
import org.sinter.optim.Adam;
import org.sinter.optim.AdamW;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;
import org.sinter.optim.RMSprop;
import org.sinter.optim.SGD;
import org.sinter.testing.Compare;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.TensorData;
import org.sinter.testing.TensorFactory;
import org.sinter.testing.Tolerances.Rule;

/** Each optimizer against PyTorch: the same gradient sequence, parameters compared after every step. */
class OptimizerReferenceTest {

    @TestFactory
    List<DynamicTest> optimizersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FixtureFile.NN_MODULES.section("optimizers")) {
            String id = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(id, () -> KnownFailures.run(id, () -> check(c))));
        }
        return tests;
    }

    private static void check(JsonNode c) {
        String id = c.get("id").asText();
        List<Tensor> params = new ArrayList<>();
        for (TensorData p : TensorData.parseList(c.get("params"))) params.add(TensorFactory.CPU.create(p).requiresGrad(true));
        Optimizer opt = build(c.get("optimizer").asText(), c.get("defaults"), c.get("groups"), params);
        int steps = c.get("grads").size();
        for (int s = 0; s < steps; s++) {
            List<TensorData> grads = TensorData.parseList(c.get("grads").get(s));
            for (int i = 0; i < params.size(); i++) {
                params.get(i).setGrad(grads.get(i) == null ? null : TensorFactory.CPU.create(grads.get(i)));
            }
            opt.step();
            List<TensorData> expected = TensorData.parseList(c.get("expected").get(s));
            for (int i = 0; i < params.size(); i++) {
                Compare.assertClose(id + " step " + (s + 1) + " param " + i, params.get(i), expected.get(i),
                        Rule.NN_LAYER.of(expected.get(i).dtype()));
            }
        }
    }

    /** Builds the optimizer from the fixture's PyTorch keyword options. */
    static Optimizer build(String name, JsonNode defaults, JsonNode groupsNode, List<Tensor> params) {
        List<ParamGroup> groups = new ArrayList<>();
        for (JsonNode g : groupsNode) {
            List<Tensor> ps = new ArrayList<>();
            for (JsonNode i : g.get("params")) ps.add(params.get(i.asInt()));
            ParamGroup group = ParamGroup.of(ps);
            g.get("options").properties().forEach(e -> group.set(e.getKey(), value(e.getValue())));
            groups.add(group);
        }
        return switch (name) {
            case "SGD" -> new SGD(groups, apply(SGD.options(), defaults));
            case "Adam" -> new Adam(groups, apply(Adam.options(), defaults));
            case "AdamW" -> new AdamW(groups, apply(AdamW.options(), defaults));
            case "RMSprop" -> new RMSprop(groups, apply(RMSprop.options(), defaults));
            case "Adagrad" -> new Adagrad(groups, apply(Adagrad.options(), defaults));
            case "Adadelta" -> new Adadelta(groups, apply(Adadelta.options(), defaults));
            default -> throw new IllegalArgumentException("no Sinter optimizer " + name);
        };
    }

    /** Sets options through the typed builders, so the test exercises the public API. */
    private static <O extends org.sinter.optim.OptimizerOptions<O>> O apply(O o, JsonNode defaults) {
        defaults.properties().forEach(e -> {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "lr" -> o.lr(v.asDouble());
                case "weight_decay" -> o.weightDecay(v.asDouble());
                case "maximize" -> o.maximize(v.asBoolean());
                default -> setSpecific(o, e.getKey(), v);
            }
        });
        return o;
    }

    private static void setSpecific(Object o, String key, JsonNode v) {
        switch (o) {
            case SGD.Options s -> {
                switch (key) {
                    case "momentum" -> s.momentum(v.asDouble());
                    case "dampening" -> s.dampening(v.asDouble());
                    case "nesterov" -> s.nesterov(v.asBoolean());
                    default -> throw new IllegalArgumentException("SGD option " + key);
                }
            }
            case Adam.Options a -> {
                switch (key) {
                    case "betas" -> a.betas(v.get(0).asDouble(), v.get(1).asDouble());
                    case "eps" -> a.eps(v.asDouble());
                    case "amsgrad" -> a.amsgrad(v.asBoolean());
                    default -> throw new IllegalArgumentException("Adam option " + key);
                }
            }
            case RMSprop.Options r -> {
                switch (key) {
                    case "alpha" -> r.alpha(v.asDouble());
                    case "eps" -> r.eps(v.asDouble());
                    case "momentum" -> r.momentum(v.asDouble());
                    case "centered" -> r.centered(v.asBoolean());
                    default -> throw new IllegalArgumentException("RMSprop option " + key);
                }
            }
            case Adagrad.Options a -> {
                switch (key) {
                    case "lr_decay" -> a.lrDecay(v.asDouble());
                    case "initial_accumulator_value" -> a.initialAccumulatorValue(v.asDouble());
                    case "eps" -> a.eps(v.asDouble());
                    default -> throw new IllegalArgumentException("Adagrad option " + key);
                }
            }
            case Adadelta.Options a -> {
                switch (key) {
                    case "rho" -> a.rho(v.asDouble());
                    case "eps" -> a.eps(v.asDouble());
                    default -> throw new IllegalArgumentException("Adadelta option " + key);
                }
            }
            default -> throw new IllegalArgumentException("options " + o);
        }
    }

    private static Object value(JsonNode v) {
        if (v.isBoolean()) return v.asBoolean();
        if (v.isNumber()) return v.asDouble();
        if (v.isArray()) {
            List<Double> out = new ArrayList<>();
            for (JsonNode x : v) out.add(x.asDouble());
            return out;
        }
        return v.asText();
    }
}
