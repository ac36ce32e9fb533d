package org.sinter.compiler.passes.rewrite;

import java.util.IdentityHashMap;
import java.util.Map;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.ViewOp;

/**
 * Whether every view of a rewritten graph can still be made. IR values carry no strides, but a
 * view's geometry depends on its input's: a {@code Reshape} of a sliced or transposed value may not
 * be expressible as a view and fails at run time. A rewrite can put a view on such a value (the
 * merged products' slices feeding a reshape), so the search walks the geometry the engine will
 * see, with the engine's own view functions: graph inputs and node results are dense, bound
 * tensors have their own strides, and a graph with a view that cannot be made is refused.
 */
final class ViewLegality {
    private ViewLegality() {}

    private record Layout(int[] strides, int offset) {}

    static boolean legal(Graph g) {
        Map<Value, Layout> layout = new IdentityHashMap<>();
        g.parameters().forEach((v, p) -> {
            Tensor t = p.tensor();
            if (t != null && !t.isMeta()) layout.put(v, new Layout(t.stride(), t.storageOffset()));
        });
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof ViewOp view)) continue;
            Value in = n.inputs().get(0);
            Layout l = layout.getOrDefault(in, new Layout(Shape.contiguousStrides(in.shape()), 0));
            try {
                ViewOp.Geometry geo = view.geometry(in.shape(), l.strides(), l.offset());
                layout.put(n.output(), new Layout(geo.strides(), geo.offset()));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }
}
