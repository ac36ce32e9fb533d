package org.sinter.distributed.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.Work;
import org.sinter.nn.Module;

/**
 * Pipeline parallelism over a process group: rank s runs stage s of a model cut into consecutive
 * pieces, and a batch is split into micro-batches that flow through the stages, activations
 * forward and their gradients back, so stages work at once on different micro-batches. Two
 * schedules: {@link Schedule#GPIPE} (Huang et al. 2019: every micro-batch forward, then every one
 * backward; each stage keeps all micro-batches' activations) and {@link Schedule#ONE_F_ONE_B}
 * (PipeDream-Flush, Narayanan et al. 2021: after a warm-up of (stages − s − 1) forwards each stage
 * alternates one forward and one backward, so it keeps at most (stages − s) micro-batches'
 * activations). Both compute the same gradients: the gradient of the mean of the micro-batch
 * losses, which for a mean loss and equal micro-batches is the whole batch's.
 *
 * <p>Each message is a shape header (int64: rank, then the dims) followed by the tensor, so stages
 * need not know each other's activation shapes. Activations must be float32 tensors. The group
 * should carry only this pipeline's traffic (for data parallelism across pipeline replicas, use
 * other groups from {@link ProcessGroup#newGroup}).
 */
public final class Pipeline {
    /** The order in which a stage runs its micro-batches' forward and backward passes. */
    public enum Schedule { GPIPE, ONE_F_ONE_B }

    private static final int MAX_DIMS = 8;

    private final Module stage;
    private final ProcessGroup group;
    private final Schedule schedule;
    private final int stageIndex, stages;
    private int maxLiveActivations;

    /** This rank's stage: rank s of {@code group} runs stage s. */
    public Pipeline(Module stage, ProcessGroup group, Schedule schedule) {
        this.stage = stage;
        this.group = group;
        this.schedule = schedule;
        this.stageIndex = group.rank();
        this.stages = group.size();
    }

    public Module stage() { return stage; }
    public boolean isFirst() { return stageIndex == 0; }
    public boolean isLast() { return stageIndex == stages - 1; }

    /** The most micro-batches whose activations this stage held at once in the last {@link #step}. */
    public int maxLiveActivations() { return maxLiveActivations; }

    /**
     * Runs forward and backward of one batch; gradients accumulate in the stage's parameters (zero
     * them and step the optimizer outside, as with one process). {@code input} is read on the first
     * stage, {@code target} and {@code loss} on the last (others may pass null). Returns the mean of
     * the micro-batch losses on every rank.
     */
    public double step(Tensor input, Tensor target, BiFunction<Tensor, Tensor, Tensor> loss, int microBatches) {
        if (microBatches < 1) throw new IllegalArgumentException("Pipeline: microBatches must be >= 1, got " + microBatches);
        List<Tensor> inputs = isFirst() ? split("input", input, microBatches) : null;
        List<Tensor> targets = isLast() ? split("target", target, microBatches) : null;
        if (isLast() && loss == null) throw new IllegalArgumentException("Pipeline: the last stage needs a loss function");
        Deque<MicroBatch> live = new ArrayDeque<>();
        List<Work> sends = new ArrayList<>();
        double[] lossSum = {0};
        maxLiveActivations = 0;
        int warmup = schedule == Schedule.GPIPE ? microBatches : Math.min(stages - stageIndex - 1, microBatches);
        int forwarded = 0;
        for (; forwarded < warmup; forwarded++) {
            live.add(forward(forwarded, inputs, targets, loss, microBatches, sends, lossSum));
            maxLiveActivations = Math.max(maxLiveActivations, live.size());
        }
        // Steady state (1F1B): one forward, then the oldest micro-batch's backward.
        while (forwarded < microBatches) {
            live.add(forward(forwarded++, inputs, targets, loss, microBatches, sends, lossSum));
            maxLiveActivations = Math.max(maxLiveActivations, live.size());
            backward(live.removeFirst(), sends);
        }
        while (!live.isEmpty()) backward(live.removeFirst(), sends);
        for (Work w : sends) w.await();
        Tensor mean = Tensor.of(new double[] {lossSum[0] / microBatches}, 1);
        group.broadcast(mean, stages - 1);
        return mean.item();
    }

    /** What a stage keeps of a micro-batch between its forward and backward. */
    private record MicroBatch(int index, Tensor input, Tensor output) {}

    private MicroBatch forward(int i, List<Tensor> inputs, List<Tensor> targets, BiFunction<Tensor, Tensor, Tensor> loss,
                               int microBatches, List<Work> sends, double[] lossSum) {
        Tensor x;
        if (isFirst()) {
            x = inputs.get(i);
        } else {
            // A leaf that requires grad: its gradient is what the previous stage needs back.
            x = receive(stageIndex - 1).requiresGrad(true);
        }
        Tensor y = stage.forward(x);
        if (isLast()) {
            Tensor l = loss.apply(y, targets.get(i));
            if (l.numel() != 1) throw new IllegalArgumentException("Pipeline: the loss must be a scalar, got " + l.describe());
            lossSum[0] += l.item();
            return new MicroBatch(i, x, l.div(microBatches));
        }
        sends.addAll(send(y.detach(), stageIndex + 1));
        return new MicroBatch(i, x, y);
    }

    private void backward(MicroBatch mb, List<Work> sends) {
        if (isLast()) {
            mb.output().backward();
        } else {
            Tensor grad = receive(stageIndex + 1);
            if (!java.util.Arrays.equals(grad.shape(), mb.output().shape())) {
                throw new IllegalStateException("Pipeline: stage " + stageIndex + " got a gradient of shape " + java.util.Arrays.toString(grad.shape())
                        + " for micro-batch " + mb.index() + "'s output of shape " + java.util.Arrays.toString(mb.output().shape()));
            }
            mb.output().backward(grad);
        }
        if (!isFirst()) {
            Tensor g = mb.input().grad();
            sends.addAll(send(g == null ? Tensor.zeros(mb.input().shape()) : g.contiguous(), stageIndex - 1));
        }
    }

    private List<Work> send(Tensor t, int dst) {
        if (t.dtype() != DType.FLOAT32) throw new IllegalArgumentException("Pipeline: stage " + stageIndex + " sends float32 tensors, got " + t.describe());
        if (t.dim() > MAX_DIMS) throw new IllegalArgumentException("Pipeline: tensors of at most " + MAX_DIMS + " dims, got " + t.describe());
        long[] header = new long[1 + MAX_DIMS];
        header[0] = t.dim();
        for (int d = 0; d < t.dim(); d++) header[1 + d] = t.size(d);
        Tensor data;
        try (var _ = Sinter.noGrad()) {
            data = t.contiguous().clone();
        }
        return List.of(group.isend(Tensor.of(header, header.length), dst), group.isend(data, dst));
    }

    private Tensor receive(int src) {
        Tensor header = Tensor.zeros(DType.INT64, 1 + MAX_DIMS);
        group.recv(header, src);
        long[] h = header.toLongArray();
        if (h[0] < 0 || h[0] > MAX_DIMS) throw new IllegalStateException("Pipeline: stage " + stageIndex + " got a corrupt header from rank " + src);
        int[] shape = new int[(int) h[0]];
        for (int d = 0; d < shape.length; d++) shape[d] = Math.toIntExact(h[1 + d]);
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        group.recv(t, src);
        return t;
    }

    private static List<Tensor> split(String what, Tensor t, int microBatches) {
        if (t == null) throw new IllegalArgumentException("Pipeline: this stage needs the " + what);
        if (t.dim() == 0 || t.size(0) % microBatches != 0) {
            throw new IllegalArgumentException("Pipeline: the " + what + " " + t.describe() + " does not split into " + microBatches + " equal micro-batches");
        }
        return t.chunk(microBatches, 0);
    }
}
