package org.sinter.nn.functional;

import java.util.HashMap;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.ValuesIndices;
import org.sinter.testing.Attrs;
import org.sinter.testing.OpCall;

/**
 * Maps each fixture op key of gen_nn_functional.py to the {@link F} call it checks. Public for the
 * compiler's tests (sinter-nn's test jar), which run the same calls compiled.
 */
public final class NnReferenceOps {
    private NnReferenceOps() {}

    /** An optional tensor argument: absent ones are simply not inputs (the generator's convention). */
    static Tensor opt(Tensor[] t, int i) {
        return i < t.length ? t[i] : null;
    }

    static Reduction red(Attrs a) {
        return Reduction.of(a.s("reduction"));
    }

    private static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    public static final Map<String, OpCall> OPS = build();

    private static Map<String, OpCall> build() {
        Map<String, OpCall> m = new HashMap<>();
        m.put("conv2d", (t, a) -> one(a.has("paddingMode")
                ? F.conv2d(t[0], t[1], opt(t, 2), a.intOrInts("stride"), a.s("paddingMode"), a.intOrInts("dilation"), a.i("groups"))
                : F.conv2d(t[0], t[1], opt(t, 2), a.intOrInts("stride"), a.intOrInts("padding"), a.intOrInts("dilation"), a.i("groups"))));
        m.put("conv1d", (t, a) -> one(a.has("paddingMode")
                ? F.conv1d(t[0], t[1], opt(t, 2), a.i("stride"), a.s("paddingMode"), a.i("dilation"), a.i("groups"))
                : F.conv1d(t[0], t[1], opt(t, 2), a.i("stride"), a.i("padding"), a.i("dilation"), a.i("groups"))));
        m.put("convTranspose2d", (t, a) -> one(F.convTranspose2d(t[0], t[1], opt(t, 2), a.intOrInts("stride"), a.intOrInts("padding"),
                a.intOrInts("outputPadding"), a.i("groups"), a.intOrInts("dilation"))));
        m.put("maxPool2d", (t, a) -> one(F.maxPool2d(t[0], a.intOrInts("kernelSize"), a.intOrInts("stride"), a.intOrInts("padding"),
                a.intOrInts("dilation"), a.b("ceilMode"))));
        m.put("maxPool2dWithIndices", (t, a) -> {
            ValuesIndices r = F.maxPool2dWithIndices(t[0], a.intOrInts("kernelSize"), a.intOrInts("stride"), a.intOrInts("padding"),
                    a.intOrInts("dilation"), a.b("ceilMode"));
            return new Tensor[] {r.values(), r.indices()};
        });
        m.put("avgPool2d", (t, a) -> one(F.avgPool2d(t[0], a.intOrInts("kernelSize"), a.intOrInts("stride"), a.intOrInts("padding"),
                a.b("ceilMode"), a.b("countIncludePad"), a.i("divisorOverride"))));
        m.put("adaptiveAvgPool2d", (t, a) -> one(F.adaptiveAvgPool2d(t[0], a.intOrInts("outputSize"))));
        m.put("batchNorm", (t, a) -> {
            boolean running = a.b("running"), affine = a.b("affine");
            Tensor rm = running ? t[1] : null, rv = running ? t[2] : null;
            int k = running ? 3 : 1;
            Tensor y = F.batchNorm(t[0], rm, rv, affine ? t[k] : null, affine ? t[k + 1] : null, a.b("training"),
                    a.d("momentum"), a.d("eps"));
            return running ? new Tensor[] {y, rm.clone(), rv.clone()} : one(y);
        });
        m.put("layerNorm", (t, a) -> one(F.layerNorm(t[0], a.intOrInts("normalizedShape"), opt(t, 1), opt(t, 2), a.d("eps"))));
        m.put("groupNorm", (t, a) -> one(F.groupNorm(t[0], a.i("numGroups"), opt(t, 1), opt(t, 2), a.d("eps"))));
        m.put("embedding", (t, a) -> one(a.isText("paddingIdx") ? F.embedding(t[0], t[1]) : F.embedding(t[0], t[1], a.i("paddingIdx"))));
        m.put("linear", (t, a) -> one(F.linear(t[0], t[1], opt(t, 2))));
        m.put("bilinear", (t, a) -> one(F.bilinear(t[0], t[1], t[2], opt(t, 3))));
        m.put("mseLoss", (t, a) -> one(F.mseLoss(t[0], t[1], red(a))));
        m.put("l1Loss", (t, a) -> one(F.l1Loss(t[0], t[1], red(a))));
        m.put("smoothL1Loss", (t, a) -> one(F.smoothL1Loss(t[0], t[1], red(a), a.d("beta"))));
        m.put("huberLoss", (t, a) -> one(F.huberLoss(t[0], t[1], red(a), a.d("delta"))));
        m.put("crossEntropy", (t, a) -> one(F.crossEntropy(t[0], t[1], a.b("weight") ? t[2] : null,
                a.l("ignoreIndex"), red(a), a.d("labelSmoothing"))));
        m.put("crossEntropy.probs", (t, a) -> one(F.crossEntropy(t[0], t[1], a.b("weight") ? t[2] : null,
                -100, red(a), a.d("labelSmoothing"))));
        m.put("nllLoss", (t, a) -> one(F.nllLoss(t[0], t[1], a.b("weight") ? t[2] : null, a.l("ignoreIndex"), red(a))));
        m.put("binaryCrossEntropy", (t, a) -> one(F.binaryCrossEntropy(t[0], t[1], a.b("weight") ? t[2] : null, red(a))));
        m.put("binaryCrossEntropyWithLogits", (t, a) -> {
            int k = 2;
            Tensor w = null, pw = null;
            if (a.b("weight")) w = t[k++];
            if (a.b("posWeight")) pw = t[k];
            return one(F.binaryCrossEntropyWithLogits(t[0], t[1], w, pw, red(a)));
        });
        m.put("klDiv", (t, a) -> one(F.klDiv(t[0], t[1], red(a), a.b("logTarget"))));
        return m;
    }
}
