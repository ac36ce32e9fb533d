package org.sinter.nn.functional;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.ValuesIndices;

/** Maps each fixture op key of gen_nn_functional.py to the {@link F} call it checks. */
final class NnReferenceOps {
    private NnReferenceOps() {}

    interface Call {
        Tensor[] apply(Tensor[] t, JsonNode a);
    }

    static int[] ints(JsonNode a, String k) {
        JsonNode n = a.get(k);
        if (!n.isArray()) return new int[] {n.asInt()};
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) r[i] = n.get(i).asInt();
        return r;
    }

    static Tensor opt(Tensor[] t, int i) {
        return i < t.length ? t[i] : null;
    }

    static Reduction red(JsonNode a) {
        return Reduction.of(a.get("reduction").asText());
    }

    private static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    static final Map<String, Call> OPS = build();

    private static Map<String, Call> build() {
        Map<String, Call> m = new HashMap<>();
        m.put("conv2d", (t, a) -> one(a.has("paddingMode")
                ? F.conv2d(t[0], t[1], opt(t, 2), ints(a, "stride"), a.get("paddingMode").asText(), ints(a, "dilation"), a.get("groups").asInt())
                : F.conv2d(t[0], t[1], opt(t, 2), ints(a, "stride"), ints(a, "padding"), ints(a, "dilation"), a.get("groups").asInt())));
        m.put("conv1d", (t, a) -> one(a.has("paddingMode")
                ? F.conv1d(t[0], t[1], opt(t, 2), a.get("stride").asInt(), a.get("paddingMode").asText(), a.get("dilation").asInt(), a.get("groups").asInt())
                : F.conv1d(t[0], t[1], opt(t, 2), a.get("stride").asInt(), a.get("padding").asInt(), a.get("dilation").asInt(), a.get("groups").asInt())));
        m.put("convTranspose2d", (t, a) -> one(F.convTranspose2d(t[0], t[1], opt(t, 2), ints(a, "stride"), ints(a, "padding"),
                ints(a, "outputPadding"), a.get("groups").asInt(), ints(a, "dilation"))));
        m.put("maxPool2d", (t, a) -> one(F.maxPool2d(t[0], ints(a, "kernelSize"), ints(a, "stride"), ints(a, "padding"),
                ints(a, "dilation"), a.get("ceilMode").asBoolean())));
        m.put("maxPool2dWithIndices", (t, a) -> {
            ValuesIndices r = F.maxPool2dWithIndices(t[0], ints(a, "kernelSize"), ints(a, "stride"), ints(a, "padding"),
                    ints(a, "dilation"), a.get("ceilMode").asBoolean());
            return new Tensor[] {r.values(), r.indices()};
        });
        m.put("avgPool2d", (t, a) -> one(F.avgPool2d(t[0], ints(a, "kernelSize"), ints(a, "stride"), ints(a, "padding"),
                a.get("ceilMode").asBoolean(), a.get("countIncludePad").asBoolean(), a.get("divisorOverride").asInt())));
        m.put("adaptiveAvgPool2d", (t, a) -> one(F.adaptiveAvgPool2d(t[0], ints(a, "outputSize"))));
        m.put("batchNorm", (t, a) -> {
            boolean running = a.get("running").asBoolean(), affine = a.get("affine").asBoolean();
            Tensor rm = running ? t[1] : null, rv = running ? t[2] : null;
            int k = running ? 3 : 1;
            Tensor y = F.batchNorm(t[0], rm, rv, affine ? t[k] : null, affine ? t[k + 1] : null, a.get("training").asBoolean(),
                    a.get("momentum").asDouble(), a.get("eps").asDouble());
            return running ? new Tensor[] {y, rm.clone(), rv.clone()} : one(y);
        });
        m.put("layerNorm", (t, a) -> one(F.layerNorm(t[0], ints(a, "normalizedShape"), opt(t, 1), opt(t, 2), a.get("eps").asDouble())));
        m.put("groupNorm", (t, a) -> one(F.groupNorm(t[0], a.get("numGroups").asInt(), opt(t, 1), opt(t, 2), a.get("eps").asDouble())));
        m.put("embedding", (t, a) -> one(a.get("paddingIdx").isTextual() ? F.embedding(t[0], t[1])
                : F.embedding(t[0], t[1], a.get("paddingIdx").asInt())));
        m.put("linear", (t, a) -> one(F.linear(t[0], t[1], opt(t, 2))));
        m.put("bilinear", (t, a) -> one(F.bilinear(t[0], t[1], t[2], opt(t, 3))));
        m.put("mseLoss", (t, a) -> one(F.mseLoss(t[0], t[1], red(a))));
        m.put("l1Loss", (t, a) -> one(F.l1Loss(t[0], t[1], red(a))));
        m.put("smoothL1Loss", (t, a) -> one(F.smoothL1Loss(t[0], t[1], red(a), a.get("beta").asDouble())));
        m.put("huberLoss", (t, a) -> one(F.huberLoss(t[0], t[1], red(a), a.get("delta").asDouble())));
        m.put("crossEntropy", (t, a) -> one(F.crossEntropy(t[0], t[1], a.get("weight").asBoolean() ? t[2] : null,
                a.get("ignoreIndex").asLong(), red(a), a.get("labelSmoothing").asDouble())));
        m.put("crossEntropy.probs", (t, a) -> one(F.crossEntropy(t[0], t[1], a.get("weight").asBoolean() ? t[2] : null,
                -100, red(a), a.get("labelSmoothing").asDouble())));
        m.put("nllLoss", (t, a) -> one(F.nllLoss(t[0], t[1], a.get("weight").asBoolean() ? t[2] : null,
                a.get("ignoreIndex").asLong(), red(a))));
        m.put("binaryCrossEntropy", (t, a) -> one(F.binaryCrossEntropy(t[0], t[1], a.get("weight").asBoolean() ? t[2] : null, red(a))));
        m.put("binaryCrossEntropyWithLogits", (t, a) -> {
            int k = 2;
            Tensor w = null, pw = null;
            if (a.get("weight").asBoolean()) w = t[k++];
            if (a.get("posWeight").asBoolean()) pw = t[k];
            return one(F.binaryCrossEntropyWithLogits(t[0], t[1], w, pw, red(a)));
        });
        m.put("klDiv", (t, a) -> one(F.klDiv(t[0], t[1], red(a), a.get("logTarget").asBoolean())));
        return m;
    }
}
