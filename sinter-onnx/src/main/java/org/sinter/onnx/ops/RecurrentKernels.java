package org.sinter.onnx.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Tensor;

/**
 * {@code RNN}, {@code GRU} and {@code LSTM} (forward, reverse, bidirectional; both layouts; GRU's
 * linear_before_reset; LSTM's peepholes), unrolled over the sequence when traced (sequence length
 * is static). Only the default activations are supported; others are refused by name.
 */
final class RecurrentKernels {
    private RecurrentKernels() {}

    private static final String[] COMMON = {"activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout"};

    private static String[] attrs(String... more) {
        String[] all = Arrays.copyOf(COMMON, COMMON.length + more.length);
        System.arraycopy(more, 0, all, COMMON.length, more.length);
        return all;
    }

    static void register(OpRegistry r) {
        r.add("RNN", n -> run(n, 1), attrs());
        r.add("GRU", n -> run(n, 3), attrs("linear_before_reset"));
        r.add("LSTM", n -> run(n, 4), attrs("input_forget"));
    }

    private static final List<String> DEFAULT_RNN = List.of("Tanh");
    private static final List<String> DEFAULT_GRU = List.of("Sigmoid", "Tanh");
    private static final List<String> DEFAULT_LSTM = List.of("Sigmoid", "Tanh", "Tanh");

    private static Tensor[] run(NodeContext n, int gates) {
        Tensor x = n.in(0);
        Tensor w = n.in(1);
        Tensor rw = n.in(2);
        boolean batchFirst = n.attrInt("layout", 0) != 0;
        if (batchFirst) x = x.transpose(0, 1); // [T, B, I]
        String direction = n.attrString("direction", "forward");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        int hidden = (int) n.attrInt("hidden_size", w.size(1) / gates);
        if (n.hasAttr("clip")) throw n.unsupported("the clip attribute");
        if (n.attrInt("input_forget", 0) != 0) throw n.unsupported("input_forget=1");
        if (n.hasAttr("activations")) {
            List<String> defaults = gates == 1 ? DEFAULT_RNN : gates == 3 ? DEFAULT_GRU : DEFAULT_LSTM;
            List<String> acts = new ArrayList<>();
            // attrStrings: activations is a STRINGS attribute; compare names case-insensitively per direction.
            for (String s : n.attrStrings("activations")) acts.add(s);
            for (int i = 0; i < acts.size(); i++) {
                if (!acts.get(i).equalsIgnoreCase(defaults.get(i % defaults.size()))) throw n.unsupported("activation " + acts.get(i) + " (only the defaults " + defaults + ")");
            }
        }
        int steps = x.size(0);
        int batch = x.size(1);
        if (n.has(4)) {
            for (long len : n.constLongs(4, "sequence_lens")) if (len != steps) throw n.unsupported("sequence_lens shorter than the sequence (" + len + " of " + steps + ")");
        }
        boolean linearBeforeReset = n.attrInt("linear_before_reset", 0) != 0;
        List<Tensor> ys = new ArrayList<>();
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            Tensor wd = w.select(0, d);
            Tensor rd = rw.select(0, d);
            Tensor wb = null;
            Tensor rb = null;
            if (n.has(3)) {
                Tensor b = n.in(3).select(0, d);
                wb = b.narrow(0, 0, gates * hidden);
                rb = b.narrow(0, gates * hidden, gates * hidden);
            }
            Tensor h = n.has(5) ? n.in(5).select(batchFirst ? 1 : 0, d) : Tensor.zeros(x.dtype(), batch, hidden);
            Tensor c = n.has(6) ? n.in(6).select(batchFirst ? 1 : 0, d) : Tensor.zeros(x.dtype(), batch, hidden);
            Tensor p = n.has(7) ? n.in(7).select(0, d) : null;
            Tensor[] out = new Tensor[steps];
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s;
                Tensor xw = x.select(0, t).matmul(wd.t());
                if (wb != null) xw = xw.add(wb);
                Tensor hr = h.matmul(rd.t());
                if (rb != null) hr = hr.add(rb);
                switch (gates) {
                    case 1 -> h = xw.add(hr).tanh();
                    case 3 -> {
                        Tensor z = gate(xw, 0, hidden).add(gate(hr, 0, hidden)).sigmoid();
                        Tensor r = gate(xw, 1, hidden).add(gate(hr, 1, hidden)).sigmoid();
                        Tensor cand;
                        if (linearBeforeReset) {
                            cand = gate(xw, 2, hidden).add(r.mul(gate(hr, 2, hidden))).tanh();
                        } else {
                            Tensor rh = r.mul(h).matmul(rd.narrow(0, 2 * hidden, hidden).t());
                            if (rb != null) rh = rh.add(gate(rb, 2, hidden));
                            cand = gate(xw, 2, hidden).add(rh).tanh();
                        }
                        h = z.rsub(1.0).mul(cand).add(z.mul(h));
                    }
                    default -> {
                        Tensor sum = xw.add(hr);
                        Tensor i = gate(sum, 0, hidden);
                        Tensor o = gate(sum, 1, hidden);
                        Tensor f = gate(sum, 2, hidden);
                        Tensor g = gate(sum, 3, hidden).tanh();
                        if (p != null) {
                            i = i.add(gate(p, 0, hidden).mul(c));
                            f = f.add(gate(p, 2, hidden).mul(c));
                        }
                        c = f.sigmoid().mul(c).add(i.sigmoid().mul(g));
                        if (p != null) o = o.add(gate(p, 1, hidden).mul(c));
                        h = o.sigmoid().mul(c.tanh());
                    }
                }
                out[t] = h;
            }
            ys.add(Tensor.stack(out, 0)); // [T, B, H]
            hs.add(h);
            cs.add(c);
        }
        Tensor y = Tensor.stack(ys, 1); // [T, D, B, H]
        Tensor yh = Tensor.stack(hs, 0); // [D, B, H]
        Tensor yc = Tensor.stack(cs, 0);
        if (batchFirst) {
            y = y.permute(2, 0, 1, 3).contiguous();
            yh = yh.transpose(0, 1).contiguous();
            yc = yc.transpose(0, 1).contiguous();
        }
        return new Tensor[] {y, yh, yc};
    }

    /** Gate {@code k} of gates stacked along the last dim ([B, G·H] pre-activations, [G·H] biases). */
    private static Tensor gate(Tensor t, int k, int hidden) {
        return t.narrow(t.dim() - 1, k * hidden, hidden);
    }
}
