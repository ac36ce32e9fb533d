package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.List;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Value;
import org.sinter.compiler.ir.Verifier;

/**
 * Runs passes in order, verifying the graph after each, and keeps a table of what each pass took
 * and changed (printed by {@code sinter compile}).
 */
public final class PassManager {
    private final List<Pass> given;
    private final List<Pass> passes;

    public PassManager(List<Pass> passes) {
        this.given = List.copyOf(passes);
        this.passes = passes.stream().map(p -> (Pass) new InsideRegions(p)).toList(); // control-flow regions are optimised too
    }

    /** The default pipeline: parameters are read at run time, so it is also right for training. */
    public static PassManager standard() {
        return new PassManager(List.of(new ConstantCaptures(), new ConstantFolding(false), new AlgebraicSimplification(),
                new CommonSubexpressionElimination(), new DeadCodeElimination()));
    }

    /**
     * The pipeline for frozen inference: parameters are treated as constants (the caller promises
     * not to change them), so weight-only work folds away and per-channel affine ops after a
     * convolution (an inference BatchNorm) fold into its weights, and products of one input by
     * constant weights (an attention's Q, K and V projections) merge into one, and one whose column
     * slices would each be copied (an exported packed in-projection at batch &gt; 1) splits apart; a
     * GELU written out with erf (as ONNX files spell it) becomes one GELU.
     */
    public static PassManager frozenInference() {
        return new PassManager(List.of(new FreezeParameters(), new ConstantCaptures(), new ConstantFolding(true), new AlgebraicSimplification(),
                new ConvAffineFolding(), new ConstantFolding(true), new CommonSubexpressionElimination(), new ErfGeluRecognition(), new SiblingProductMerging(),
                new CopiedSliceProductSplitting(), new DeadCodeElimination()));
    }

    public static PassManager none() {
        return new PassManager(List.of());
    }

    /** This pipeline followed by {@code more} (an opt-in pass such as the substitution search). */
    public PassManager then(List<Pass> more) {
        List<Pass> all = new ArrayList<>(given);
        all.addAll(more);
        return new PassManager(all);
    }

    public record Step(String pass, long nanos, int nodesBefore, int nodesAfter, String changes) {}

    public record Report(Graph graph, List<Step> steps) {
        /** A Markdown table: pass, time, nodes before and after, what changed. */
        public String table() {
            StringBuilder sb = new StringBuilder("| pass | time (ms) | nodes | changes |\n|---|---:|---:|---|\n");
            for (Step s : steps) {
                sb.append(String.format(java.util.Locale.ROOT, "| %s | %.2f | %d → %d | %s |%n", s.pass(), s.nanos() / 1e6, s.nodesBefore(),
                        s.nodesAfter(), s.changes().isEmpty() ? "—" : s.changes()));
            }
            return sb.toString();
        }
    }

    /** A pass may change anything but what the graph takes and gives. */
    private static void checkInterface(Pass p, Graph before, Graph after) {
        boolean same = before.inputs().size() == after.inputs().size() && before.outputs().size() == after.outputs().size();
        for (int i = 0; same && i < before.inputs().size(); i++) same = before.inputs().get(i).spec().equals(after.inputs().get(i).spec());
        for (int i = 0; same && i < before.outputs().size(); i++) same = before.outputs().get(i).spec().equals(after.outputs().get(i).spec());
        if (!same) {
            throw new IllegalStateException("pass " + p.name() + " changed the graph's signature: inputs " + before.inputs().stream().map(Value::spec).toList()
                    + " → " + after.inputs().stream().map(Value::spec).toList() + ", outputs " + before.outputs().stream().map(Value::spec).toList()
                    + " → " + after.outputs().stream().map(Value::spec).toList());
        }
    }

    public Report run(Graph g) {
        List<Step> steps = new ArrayList<>();
        for (Pass p : passes) {
            long t0 = System.nanoTime();
            Pass.Result r = p.run(g);
            long t = System.nanoTime() - t0;
            if (r.graph() != g) {
                Verifier.verify(r.graph());
                checkInterface(p, g, r.graph());
            }
            steps.add(new Step(p.name(), t, g.nodes().size(), r.graph().nodes().size(), r.changes()));
            g = r.graph();
        }
        return new Report(g, steps);
    }
}
