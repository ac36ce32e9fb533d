package org.sinter.optim.lr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * Runs schedulers one after another, switching at the milestone epochs (PyTorch's
 * {@code SequentialLR}); e.g. a {@link LinearLR} warm-up for 5 epochs, then cosine annealing:
 * <pre>{@code
 * new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1, 5), new CosineAnnealingLR(opt, 95)), new int[] {5});
 * }</pre>
 * At a milestone the next scheduler restarts from its epoch 0 (its closed form, when it has one).
 */
public class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer, -1);
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects " + (schedulers.size() - 1) + " milestones for "
                    + schedulers.size() + " schedulers, got " + milestones.length);
        }
        for (LRScheduler s : schedulers) {
            if (s.optimizer != optimizer) throw new IllegalArgumentException("SequentialLR: all schedulers must belong to the same optimizer");
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        // Undo what the schedulers' own initial steps did, then start the first one afresh.
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : schedulers) s.lastEpoch -= 1;
        schedulers.get(0).initialStep();
        lastEpoch = 0;
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
    }

    /** Its own position plus each scheduler's, under {@code schedulers.<i>.}. */
    @Override
    public Map<String, Object> stateValues() {
        Map<String, Object> out = new LinkedHashMap<>(super.stateValues());
        for (int i = 0; i < schedulers.size(); i++) {
            String prefix = "schedulers." + i + ".";
            schedulers.get(i).stateValues().forEach((k, v) -> out.put(prefix + k, v));
        }
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
        Map<String, Object> own = new LinkedHashMap<>();
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int i = 0; i < schedulers.size(); i++) parts.add(new LinkedHashMap<>());
        values.forEach((k, v) -> {
            if (k.startsWith("schedulers.")) {
                String rest = k.substring("schedulers.".length());
                int dot = rest.indexOf('.');
                parts.get(Integer.parseInt(rest.substring(0, dot))).put(rest.substring(dot + 1), v);
            } else {
                own.put(k, v);
            }
        });
        super.loadState(tensors, own);
        for (int i = 0; i < schedulers.size(); i++) schedulers.get(i).loadState(Map.of(), parts.get(i));
    }

    @Override
    public double[] getLastLr() {
        return currentLrs();
    }

    @Override
    protected double[] computeLr() {
        return currentLrs();
    }
}
