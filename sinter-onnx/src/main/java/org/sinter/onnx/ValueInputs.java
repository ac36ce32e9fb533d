package org.sinter.onnx;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * The operator inputs whose values, not just shapes, decide the shapes of what follows (a
 * Reshape's target shape, Slice's bounds, Resize's scales and sizes, Range's bounds, ...). Sinter
 * compiles static shapes, so a graph input that feeds one of these positions is specialised on:
 * {@link OnnxModel} binds its value as a constant and compiles a graph per distinct value.
 */
final class ValueInputs {
    private ValueInputs() {}

    private static final Map<String, Set<Integer>> POSITIONS = Map.ofEntries(
            Map.entry("Reshape", Set.of(1)), Map.entry("Expand", Set.of(1)), Map.entry("Tile", Set.of(1)),
            Map.entry("Slice", Set.of(1, 2, 3, 4)), Map.entry("Pad", Set.of(1, 2, 3)), Map.entry("Squeeze", Set.of(1)),
            Map.entry("Unsqueeze", Set.of(1)), Map.entry("Split", Set.of(1)), Map.entry("ConstantOfShape", Set.of(0)),
            Map.entry("Range", Set.of(0, 1, 2)), Map.entry("Loop", Set.of(0)), Map.entry("HannWindow", Set.of(0)), Map.entry("HammingWindow", Set.of(0)),
            Map.entry("BlackmanWindow", Set.of(0)), Map.entry("MelWeightMatrix", Set.of(0, 1, 2, 3, 4)), Map.entry("STFT", Set.of(1, 3)), Map.entry("DFT", Set.of(1)), Map.entry("Compress", Set.of(1)), Map.entry("MaxUnpool", Set.of(2)), Map.entry("ReverseSequence", Set.of(1)), Map.entry("OneHot", Set.of(1)), Map.entry("Clip", Set.of(1, 2)),
            Map.entry("CumSum", Set.of(1)), Map.entry("Trilu", Set.of(1)), Map.entry("Resize", Set.of(1, 2, 3)),
            Map.entry("Upsample", Set.of(1)), Map.entry("RNN", Set.of(4)), Map.entry("GRU", Set.of(4)), Map.entry("LSTM", Set.of(4)), Map.entry("Dropout", Set.of(1, 2)), Map.entry("TopK", Set.of(1)),
            Map.entry("ReduceSum", Set.of(1)), Map.entry("ReduceMean", Set.of(1)), Map.entry("ReduceMax", Set.of(1)),
            Map.entry("ReduceMin", Set.of(1)), Map.entry("ReduceProd", Set.of(1)), Map.entry("ReduceL1", Set.of(1)),
            Map.entry("ReduceL2", Set.of(1)), Map.entry("ReduceSumSquare", Set.of(1)), Map.entry("ReduceLogSum", Set.of(1)),
            Map.entry("ReduceLogSumExp", Set.of(1)));

    /** Operators whose outputs depend on their input's shape only, never its values. */
    private static final Set<String> SHAPE_ONLY = Set.of("Shape", "Size", "EyeLike");

    /**
     * The names whose values some shape-setting position needs: those read there, and, going back
     * through the graph ({@code nodes} in topological order), every input of a node whose output is
     * needed, except through operators that look at shapes only.
     */
    static Set<String> of(List<NodeProto> nodes) {
        Set<String> out = new HashSet<>();
        for (NodeProto n : nodes) {
            Set<Integer> at = POSITIONS.get(n.getOpType());
            if (at == null) continue;
            for (int i : at) if (i < n.getInputCount() && !n.getInput(i).isEmpty()) out.add(n.getInput(i));
        }
        // A Loop's condition fed straight from a graph input is specialised on too (a loop the caller switches on or off is unrolled);
        // one computed from data stays data: the loop becomes a whileLoop region instead.
        Set<String> produced = new HashSet<>();
        for (NodeProto n : nodes) produced.addAll(n.getOutputList());
        for (NodeProto n : nodes) {
            if (n.getOpType().equals("Loop") && n.getInputCount() > 1 && !n.getInput(1).isEmpty() && !produced.contains(n.getInput(1))) out.add(n.getInput(1));
        }
        for (int k = nodes.size() - 1; k >= 0; k--) {
            NodeProto n = nodes.get(k);
            if (SHAPE_ONLY.contains(n.getOpType()) || n.getOutputList().stream().noneMatch(out::contains)) continue;
            for (String in : n.getInputList()) if (!in.isEmpty()) out.add(in);
        }
        return out;
    }
}
