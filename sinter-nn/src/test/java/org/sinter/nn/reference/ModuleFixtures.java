package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.nn.Bilinear;
import org.sinter.nn.ELU;
import org.sinter.nn.GELU;
import org.sinter.nn.GRU;
import org.sinter.nn.GRUCell;
import org.sinter.nn.LSTM;
import org.sinter.nn.LSTMCell;
import org.sinter.nn.LeakyReLU;
import org.sinter.nn.Linear;
import org.sinter.nn.LogSoftmax;
import org.sinter.nn.Module;
import org.sinter.nn.MultiheadAttention;
import org.sinter.nn.RNN;
import org.sinter.nn.RNNBase;
import org.sinter.nn.RNNCell;
import org.sinter.nn.ReLU;
import org.sinter.nn.SiLU;
import org.sinter.nn.Sigmoid;
import org.sinter.nn.Softmax;
import org.sinter.nn.Softplus;
import org.sinter.nn.Tanh;
import org.sinter.nn.TransformerDecoderLayer;
import org.sinter.nn.TransformerEncoderLayer;
import org.sinter.nn.TransformerOptions;
import org.sinter.testing.TensorData;
import org.sinter.testing.TensorFactory;

/**
 * How a case of the layer fixtures (nn_modules.json.gz, section "modules") becomes Sinter calls:
 * the module its kind and config build, how it is called on the case's named inputs, and the
 * case's tensors. Shared by {@link ModuleReferenceTest} and, through sinter-nn's test jar, by the
 * compiler's check that every layer compiles to the same numbers.
 */
public final class ModuleFixtures {
    private ModuleFixtures() {}

    /**
     * One case, ready to run: the module holding PyTorch's weights (in their dtype), the inputs
     * (those PyTorch differentiated require grad), and PyTorch's outputs, upstream gradients and
     * gradients, keyed {@code input.NAME} and {@code param.NAME}.
     */
    public record Case(String id, Module module, DType dtype, JsonNode call, Map<String, Tensor> inputs, Map<String, TensorData> outputs,
                       Map<String, Tensor> gradOutputs, Map<String, TensorData> grads) {

        public static Case of(JsonNode c) {
            Module m = build(c.get("module").asText(), c.get("config"));
            Map<String, Tensor> params = tensors(c.get("params"));
            DType dtype = params.isEmpty() ? DType.FLOAT32 : params.values().iterator().next().dtype();
            if (dtype != DType.FLOAT32) m.to(dtype);
            m.loadStateDict(params, true);
            Map<String, Tensor> inputs = tensors(c.get("inputs"));
            JsonNode grads = c.get("grads");
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                if (grads.has("input." + e.getKey())) e.getValue().requiresGrad(true);
            }
            return new Case(c.get("id").asText(), m, dtype, c.get("call"), inputs, TensorData.parseNamed(c.get("outputs")),
                    tensors(c.get("gradOutputs")), TensorData.parseNamed(grads));
        }

        /** The module called on {@code in} (the case's inputs, or stand-ins for them by the same names). */
        public Map<String, Tensor> forward(Map<String, Tensor> in) {
            return ModuleFixtures.forward(module, in, call);
        }

        /** The scalar whose backward gives PyTorch's gradients: the sum over outputs of (output · upstream gradient). */
        public Tensor upstreamLoss(Map<String, Tensor> outputs) {
            Tensor loss = null;
            for (String name : this.outputs.keySet()) {
                Tensor term = outputs.get(name).mul(gradOutputs.get(name)).sum();
                loss = loss == null ? term : loss.add(term);
            }
            return loss;
        }

        /** The tensor whose {@code .grad} PyTorch's gradient {@code key} is ({@code input.x} or {@code param.weight}). */
        public Tensor gradHolder(String key) {
            return key.startsWith("input.") ? inputs.get(key.substring(6)) : module.namedParameters().get(key.substring(6));
        }
    }

    /** A fixture's named tensors on the CPU, nulls (absent optional inputs) kept. */
    public static Map<String, Tensor> tensors(JsonNode named) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        TensorData.parseNamed(named).forEach((k, v) -> out.put(k, v == null ? null : TensorFactory.CPU.create(v)));
        return out;
    }

    private static int i(JsonNode cfg, String k, int dflt) { return cfg.has(k) ? cfg.get(k).asInt() : dflt; }

    private static boolean b(JsonNode cfg, String k, boolean dflt) { return cfg.has(k) ? cfg.get(k).asBoolean() : dflt; }

    private static double d(JsonNode cfg, String k, double dflt) { return cfg.has(k) ? cfg.get(k).asDouble() : dflt; }

    private static String s(JsonNode cfg, String k, String dflt) { return cfg.has(k) ? cfg.get(k).asText() : dflt; }

    /** The Sinter module of a fixture case's {@code module} kind and PyTorch {@code config}, freshly initialised. */
    public static Module build(String kind, JsonNode cfg) {
        return switch (kind) {
            case "Linear" -> new Linear(i(cfg, "in_features", 0), i(cfg, "out_features", 0), b(cfg, "bias", true));
            case "Bilinear" -> new Bilinear(i(cfg, "in1_features", 0), i(cfg, "in2_features", 0), i(cfg, "out_features", 0), b(cfg, "bias", true));
            case "ReLU" -> new ReLU();
            case "LeakyReLU" -> new LeakyReLU(d(cfg, "negative_slope", 0.01));
            case "GELU" -> new GELU(s(cfg, "approximate", "none"));
            case "SiLU" -> new SiLU();
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "Softplus" -> new Softplus(d(cfg, "beta", 1), d(cfg, "threshold", 20));
            case "Softmax" -> new Softmax(i(cfg, "dim", -1));
            case "LogSoftmax" -> new LogSoftmax(i(cfg, "dim", -1));
            case "ELU" -> new ELU(d(cfg, "alpha", 1));
            case "RNN", "LSTM", "GRU" -> {
                RNNBase.Options o = RNNBase.options().numLayers(i(cfg, "num_layers", 1)).bias(b(cfg, "bias", true))
                        .batchFirst(b(cfg, "batch_first", false)).bidirectional(b(cfg, "bidirectional", false))
                        .nonlinearity(s(cfg, "nonlinearity", "tanh"));
                int in = i(cfg, "input_size", 0), h = i(cfg, "hidden_size", 0);
                yield switch (kind) {
                    case "RNN" -> new RNN(in, h, o);
                    case "LSTM" -> new LSTM(in, h, o);
                    default -> new GRU(in, h, o);
                };
            }
            case "RNNCell" -> new RNNCell(i(cfg, "input_size", 0), i(cfg, "hidden_size", 0), b(cfg, "bias", true), s(cfg, "nonlinearity", "tanh"));
            case "LSTMCell" -> new LSTMCell(i(cfg, "input_size", 0), i(cfg, "hidden_size", 0), b(cfg, "bias", true));
            case "GRUCell" -> new GRUCell(i(cfg, "input_size", 0), i(cfg, "hidden_size", 0), b(cfg, "bias", true));
            case "MultiheadAttention" -> {
                int e = i(cfg, "embed_dim", 0);
                yield new MultiheadAttention(e, i(cfg, "num_heads", 1), MultiheadAttention.options().bias(b(cfg, "bias", true))
                        .batchFirst(b(cfg, "batch_first", false)).kdim(i(cfg, "kdim", e)).vdim(i(cfg, "vdim", e)).dropout(d(cfg, "dropout", 0)));
            }
            case "TransformerEncoderLayer", "TransformerDecoderLayer" -> {
                TransformerOptions o = new TransformerOptions().dimFeedforward(i(cfg, "dim_feedforward", 2048)).dropout(d(cfg, "dropout", 0.1))
                        .activation(s(cfg, "activation", "relu")).batchFirst(b(cfg, "batch_first", false)).normFirst(b(cfg, "norm_first", false));
                yield kind.equals("TransformerEncoderLayer") ? new TransformerEncoderLayer(i(cfg, "d_model", 0), i(cfg, "nhead", 1), o)
                        : new TransformerDecoderLayer(i(cfg, "d_model", 0), i(cfg, "nhead", 1), o);
            }
            default -> throw new IllegalArgumentException("no Sinter module for fixture kind " + kind);
        };
    }

    /** Calls {@code m} as the case's {@code call} says on its named inputs (null: an absent optional one); outputs by PyTorch's names. */
    public static Map<String, Tensor> forward(Module m, Map<String, Tensor> in, JsonNode call) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        switch (m) {
            case Bilinear bl -> out.put("output", bl.forward(in.get("x1"), in.get("x2")));
            case LSTM lstm -> {
                RNNBase.Result r = lstm.forward(in.get("x"), in.get("h0"), in.get("c0"));
                out.put("output", r.output());
                out.put("h_n", r.hN());
                out.put("c_n", r.cN());
            }
            case RNN rnn -> putRnn(out, rnn.forward(in.get("x"), in.get("h0")));
            case GRU gru -> putRnn(out, gru.forward(in.get("x"), in.get("h0")));
            case RNNCell cell -> out.put("h", cell.forward(in.get("x"), in.get("h")));
            case GRUCell cell -> out.put("h", cell.forward(in.get("x"), in.get("h")));
            case LSTMCell cell -> {
                LSTMCell.State s = cell.forward(in.get("x"), in.get("h") == null ? null : new LSTMCell.State(in.get("h"), in.get("c")));
                out.put("h", s.h());
                out.put("c", s.c());
            }
            case MultiheadAttention mha -> {
                boolean need = call.path("need_weights").asBoolean(true);
                MultiheadAttention.Result r = mha.forward(in.get("query"), in.get("key"), in.get("value"), in.get("key_padding_mask"), need,
                        in.get("attn_mask"), call.path("average_attn_weights").asBoolean(true));
                out.put("output", r.output());
                if (need) out.put("attn_weights", r.weights());
            }
            case TransformerEncoderLayer enc -> out.put("output", enc.forward(in.get("src"), in.get("src_mask"), in.get("src_key_padding_mask")));
            case TransformerDecoderLayer dec -> out.put("output", dec.forward(in.get("tgt"), in.get("memory"), in.get("tgt_mask"),
                    in.get("memory_mask"), in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask")));
            default -> out.put("output", m.forward(in.get("x")));
        }
        return out;
    }

    private static void putRnn(Map<String, Tensor> out, RNNBase.Result r) {
        out.put("output", r.output());
        out.put("h_n", r.hN());
    }
}
