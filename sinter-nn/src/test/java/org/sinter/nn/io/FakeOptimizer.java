package org.sinter.nn.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/** A stand-in optimizer for checkpoint tests: one moment buffer and a few hyper-parameters. */
final class FakeOptimizer implements Stateful {
    Tensor momentum;
    double lr;
    long steps;
    List<Double> betas = List.of(0.9, 0.999);

    FakeOptimizer(Tensor momentum, double lr, long steps) {
        this.momentum = momentum;
        this.lr = lr;
        this.steps = steps;
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        return Map.of("0.momentum", momentum);
    }

    @Override
    public Map<String, Object> stateValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", lr);
        m.put("steps", steps);
        m.put("betas", betas);
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
        momentum = tensors.get("0.momentum");
        lr = ((Number) values.get("lr")).doubleValue();
        steps = ((Number) values.get("steps")).longValue();
        betas = (List<Double>) values.get("betas");
    }
}
