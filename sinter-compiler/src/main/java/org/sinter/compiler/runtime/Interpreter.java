package org.sinter.compiler.runtime;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Runs a graph node by node through the engine's dispatch (the eager kernels): the reference every
 * compiled form of the graph is checked against, and the executor of last resort.
 */
public final class Interpreter {
    private Interpreter() {}

    public static Tensor[] run(Graph g, Tensor... inputs) {
        if (inputs.length != g.inputs().size()) {
            throw new IllegalArgumentException("run: the graph takes " + g.inputs().size() + " inputs, got " + inputs.length);
        }
        Map<Value, Tensor> env = new IdentityHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            Value v = g.inputs().get(i);
            if (!v.spec().equals(new org.sinter.ops.TensorSpec(inputs[i].shape(), inputs[i].dtype()))) {
                throw new IllegalArgumentException("run: input " + i + " must be " + v.spec() + ", got " + inputs[i].describe());
            }
            env.put(v, inputs[i]);
        }
        env.putAll(g.drawRandomInputs());
        g.parameters().forEach((v, p) -> {
            if (p.tensor() == null) throw new IllegalStateException("run: parameter " + p.name() + " is not bound to a tensor");
            env.put(v, p.tensor());
        });
        for (Node n : g.nodes()) {
            List<Value> ins = n.inputs();
            Tensor[] args = new Tensor[ins.size()];
            for (int i = 0; i < args.length; i++) args[i] = env.get(ins.get(i));
            // In-place ops appear in their functional form. Control flow runs its regions op by op, so autograd records them.
            Tensor[] outs = n.op() instanceof ControlFlowOp cf ? ControlFlowExecution.run(cf, args, Interpreter::run) : Dispatch.apply(n.op(), args);
            for (int i = 0; i < outs.length; i++) env.put(n.outputs().get(i), outs[i]);
        }
        Tensor[] result = new Tensor[g.outputs().size()];
        for (int i = 0; i < result.length; i++) result[i] = env.get(g.outputs().get(i));
        g.writeBack(env::get);
        return result;
    }
}
