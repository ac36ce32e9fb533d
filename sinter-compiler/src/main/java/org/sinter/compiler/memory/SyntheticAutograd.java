package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pretend eager autograd that computes nothing and only records what a real one would allocate
 * and free, in order, to make realistic {@link AllocationLog}s before the executor writes real
 * ones. It follows PyTorch's habits: buffers are freed when their last holder lets go (reference
 * counting: the program's variables, and the ops that saved them for backward); backward runs
 * the recorded ops in reverse, each allocating its input gradients and releasing what it saved;
 * gradients reaching one buffer twice are summed in place when nobody else holds the first one;
 * parameter gradients live until zero_grad. The ops themselves are in {@link SyntheticLayers}.
 */
class SyntheticAutograd {
    /** A buffer: one allocation of the log. */
    static final class Buf {
        final long id;
        final String dtype;
        final int[] shape;
        final boolean requiresGrad;
        int holders = 1;

        Buf(long id, String dtype, int[] shape, boolean requiresGrad) {
            this.id = id;
            this.dtype = dtype;
            this.shape = shape;
            this.requiresGrad = requiresGrad;
        }
    }

    /** A trainable parameter: its data, its gradient between backward and zero_grad, its optimizer state. */
    static final class Param {
        final String name;
        final Buf data;
        Buf grad;
        final List<Buf> state = new ArrayList<>();

        Param(String name, Buf data) {
            this.name = name;
            this.data = data;
        }
    }

    final AllocationLog.Recorder recorder = new AllocationLog.Recorder();
    final List<Param> params = new ArrayList<>();
    private final List<Runnable> tape = new ArrayList<>();
    private final Map<Buf, Buf> grads = new IdentityHashMap<>();

    // ---------------------------------------------------------------- buffers

    static long bytes(String dtype, int[] shape) {
        long n = switch (dtype) {
            case "float32", "int32" -> 4;
            case "int64" -> 8;
            case "bool", "uint8" -> 1;
            default -> throw new IllegalArgumentException("unknown dtype " + dtype);
        };
        for (int d : shape) n *= d;
        return n;
    }

    Buf alloc(String dtype, int[] shape, String what, boolean requiresGrad) {
        String tag = dtype + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")) + ":" + what;
        return new Buf(recorder.alloc(bytes(dtype, shape), tag), dtype, shape, requiresGrad);
    }

    Buf like(Buf b, String what) {
        return alloc(b.dtype, b.shape, what, false);
    }

    void hold(Buf b) {
        b.holders++;
    }

    void release(Buf b) {
        if (--b.holders == 0) recorder.free(b.id);
        if (b.holders < 0) throw new IllegalStateException("buffer " + b.id + " released too often");
    }

    /** A scratch buffer for the duration of one kernel: allocated now, freed by the caller soon after. */
    long workspace(long bytes, String what) {
        return recorder.alloc(bytes, "uint8[" + bytes + "]:" + what);
    }

    Param param(String name, int... shape) {
        Param p = new Param(name, alloc("float32", shape, name, true));
        params.add(p);
        return p;
    }

    /** A persistent non-trainable buffer (BatchNorm running statistics). */
    void buffer(String name, String dtype, int... shape) {
        alloc(dtype, shape, name, false);
    }

    // ---------------------------------------------------------------- autograd

    void onBackward(Runnable r) {
        tape.add(r);
    }

    /** The gradient flowing into {@code y}; the caller owns (and must release) it. */
    Buf takeGrad(Buf y) {
        Buf g = grads.remove(y);
        if (g == null) throw new IllegalStateException("no gradient reached buffer " + y.id);
        return g;
    }

    /** A new gradient buffer for {@code x}, or null when x needs none (the input batch). */
    Buf gradFor(Buf x, int[] shape, String what) {
        return x.requiresGrad ? alloc("float32", shape, what, false) : null;
    }

    /** Adds {@code g} (owned by the caller, handed over; null for none) to x's gradient. */
    void accumulate(Buf x, Buf g) {
        if (g == null) return;
        Buf old = grads.get(x);
        if (old == null) {
            grads.put(x, g);
        } else if (old.holders == 1) {
            release(g); // summed into old in place
        } else {
            grads.put(x, like(old, "add.grad"));
            release(old);
            release(g);
        }
    }

    void accumulate(Param p, Buf g) {
        if (p.grad == null) {
            p.grad = g; // AccumulateGrad steals the incoming gradient
        } else {
            release(g);
        }
    }

    /** Runs backward from a scalar loss, which the caller keeps (it still holds it). */
    void backward(Buf loss) {
        grads.put(loss, like(loss, "ones_like"));
        for (int i = tape.size() - 1; i >= 0; i--) tape.get(i).run();
        tape.clear();
        if (!grads.isEmpty()) throw new IllegalStateException(grads.size() + " gradients never consumed");
    }

    /** {@code optimizer.zero_grad(set_to_none=True)}: the gradient buffers go. */
    void zeroGrad() {
        for (Param p : params) {
            if (p.grad != null) release(p.grad);
            p.grad = null;
        }
    }
}
