package org.sinter.ops;

import java.util.Map;
import org.sinter.SavedContext;
import org.sinter.Tensor;

/**
 * A user-defined operator ({@code org.sinter.autograd.Function}): the one member of the op set
 * whose forward and backward are Java code supplied by the user. It runs on whatever backend its
 * inputs live on through its own code; the meta backend needs its {@link Impl#meta}.
 */
public record Custom(Impl impl) implements Op {
    /** What a user-defined operator supplies. */
    public interface Impl {
        String name();

        Map<String, Object> attributes();

        Tensor[] forward(Tensor... inputs);

        Tensor[] backward(SavedContext ctx, Tensor... grads);

        /** Output shapes and dtypes; by default unknown, so the op cannot be traced. */
        default TensorSpec[] meta(Tensor... inputs) {
            throw new UnsupportedOperationException("custom function '" + name() + "' has no meta function: override meta() to "
                    + "run it on the meta backend (tracing)");
        }
    }

    @Override public String name() { return impl.name(); }

    @Override public Map<String, Object> attributes() { return impl.attributes(); }

    @Override public boolean savesInputs() { return false; }

    @Override public TensorSpec[] meta(Tensor... in) { return impl.meta(in); }
}
