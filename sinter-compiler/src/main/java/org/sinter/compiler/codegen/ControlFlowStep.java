package org.sinter.compiler.codegen;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.compiler.runtime.ControlFlowExecution;

/**
 * A control-flow node of a program: its regions lowered to programs of their own when the program
 * is compiled (a loop body's elementwise chains run as fused kernels on every iteration), run at
 * run time through the primitive, which picks the branch or counts the iterations from the data.
 */
final class ControlFlowStep implements ProgramStep {
    private final Node node;
    private final Map<Graph, Program> regions = new IdentityHashMap<>();

    ControlFlowStep(Node node, org.sinter.Device device) {
        this.node = node;
        for (Graph r : ((ControlFlowOp) node.op()).regions()) regions.put(r, Program.compile(r, device));
    }

    @Override public List<Value> reads() { return node.inputs(); }

    @Override public List<Value> writes() { return node.outputs(); }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        Tensor[] outs = ControlFlowExecution.run((ControlFlowOp) node.op(), ProgramStep.lookUp(node.inputs(), env),
                (region, in) -> regions.get(region).run(in));
        ProgramStep.bind(node.outputs(), outs, env);
    }
}
