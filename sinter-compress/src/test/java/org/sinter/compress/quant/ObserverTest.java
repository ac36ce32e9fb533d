package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.compress.quant.observer.HistogramObserver;
import org.sinter.compress.quant.observer.MinMaxObserver;
import org.sinter.compress.quant.observer.MovingAverageMinMaxObserver;
import org.sinter.compress.quant.observer.Observer;
import org.sinter.compress.quant.observer.PerChannelMinMaxObserver;

/** Observers' statistics and qparams against PyTorch 1.13's torch.ao.quantization observers. */
class ObserverTest {
    static Tensor batch(int i) {
        return Tensor.of(Fixtures.floats("batch" + i), 4, 37);
    }

    static void feed(Observer o) {
        for (int i = 0; i < 3; i++) o.forward(batch(i));
    }

    static void assertQparams(String name, QParams p) {
        assertArrayEquals(Fixtures.floats(name + ".scale"), p.scale(), 0f, name + " scale");
        assertArrayEquals(Fixtures.ints(name + ".zero_point"), p.zeroPoint(), name + " zero_point");
    }

    @Test
    void minMaxObserversMatchPyTorch() {
        Object[][] cases = {
            {"minmax_affine_quint8", new MinMaxObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, false)},
            {"minmax_symmetric_qint8", new MinMaxObserver(QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false)},
            {"minmax_symmetric_quint8", new MinMaxObserver(QDType.QUINT8, QScheme.PER_TENSOR_SYMMETRIC, false)},
            {"minmax_affine_quint8_reduce", new MinMaxObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true)},
            {"minmax_affine_qint8_custom", new MinMaxObserver(QDType.QINT8, QScheme.PER_TENSOR_AFFINE, false, -8, 7)},
            {"movavg_affine_quint8", new MovingAverageMinMaxObserver(0.01f, QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, false)},
            {"movavg_symmetric_qint8", new MovingAverageMinMaxObserver(0.25f, QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false)},
        };
        for (Object[] c : cases) {
            String name = (String) c[0];
            MinMaxObserver o = (MinMaxObserver) c[1];
            feed(o);
            assertEquals(Fixtures.scalar(name + ".min_val"), o.minVal(), 0f, name + " min_val");
            assertEquals(Fixtures.scalar(name + ".max_val"), o.maxVal(), 0f, name + " max_val");
            assertQparams(name, o.calculateQparams());
        }
        MinMaxObserver positive = new MinMaxObserver();
        positive.forward(batch(2));
        assertQparams("minmax_affine_quint8_positive", positive.calculateQparams());
    }

    @Test
    void perChannelObserversMatchPyTorch() {
        Tensor w = Tensor.of(Fixtures.floats("weight"), 6, 3, 3, 3);
        Object[][] cases = {
            {"perchannel_symmetric_qint8_axis0", new PerChannelMinMaxObserver(0, QDType.QINT8, QScheme.PER_CHANNEL_SYMMETRIC, false)},
            {"perchannel_affine_quint8_axis0", new PerChannelMinMaxObserver(0, QDType.QUINT8, QScheme.PER_CHANNEL_AFFINE, false)},
            {"perchannel_affine_qint8_axis1", new PerChannelMinMaxObserver(1, QDType.QINT8, QScheme.PER_CHANNEL_AFFINE, false)},
        };
        for (Object[] c : cases) {
            String name = (String) c[0];
            PerChannelMinMaxObserver o = (PerChannelMinMaxObserver) c[1];
            o.forward(w);
            assertArrayEquals(Fixtures.floats(name + ".min_val"), o.minVals(), 0f, name);
            assertArrayEquals(Fixtures.floats(name + ".max_val"), o.maxVals(), 0f, name);
            QParams p = o.calculateQparams();
            assertQparams(name, p);
            assertEquals(o.chAxis(), p.axis());
        }
    }

    @Test
    void histogramObserverMatchesPyTorchL2Search() {
        Tensor h0 = Tensor.of(Fixtures.floats("hist0"), 3000), h1 = Tensor.of(Fixtures.floats("hist1"), 1000);
        Object[][] cases = {
            {"histogram_affine_quint8", new HistogramObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, false)},
            {"histogram_symmetric_qint8", new HistogramObserver(QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false)},
            {"histogram_affine_quint8_reduce", new HistogramObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true)},
        };
        for (Object[] c : cases) {
            String name = (String) c[0];
            HistogramObserver o = (HistogramObserver) c[1];
            o.forward(h0);
            o.forward(h1);
            assertArrayEquals(Fixtures.floats(name + ".histogram"), o.histogram(), 0f, name + " histogram");
            QParams p = o.calculateQparams();
            float want = Fixtures.scalar(name + ".scale");
            assertEquals(want, p.scale(0), 1e-6f * want, name + " scale");
            assertArrayEquals(Fixtures.ints(name + ".zero_point"), p.zeroPoint(), name + " zero_point");
        }
    }

    @Test
    void histogramMergesAGrowingRangeWithoutLosingCounts() {
        HistogramObserver o = new HistogramObserver();
        o.forward(Tensor.of(new float[] {-1, 0, 0.5f, 1}, 4));
        o.forward(Tensor.of(new float[] {-3, 2, 5}, 3));
        float total = 0;
        for (float c : o.histogram()) total += c;
        assertEquals(7f, total, 1e-4f);
        assertEquals(-3f, o.minVal(), 0f);
        assertTrue(o.maxVal() >= 5f);
    }

    /** Percentile and entropy calibration have no PyTorch counterpart: checked against their definitions on a Gaussian with outliers. */
    @Test
    void percentileAndEntropyClipOutliers() {
        org.sinter.Sinter.manualSeed(3);
        float[] v = Tensor.randn(20000).toFloatArray();
        v[0] = 40f; // an outlier min-max would stretch the range to
        Tensor x = Tensor.of(v, v.length);
        HistogramObserver pct = new HistogramObserver(2048, QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false, HistogramObserver.Calibration.PERCENTILE, 99.9);
        pct.forward(x);
        float tPct = pct.calculateQparams().scale(0) * 127.5f;
        float[] abs = new float[v.length];
        for (int i = 0; i < v.length; i++) abs[i] = Math.abs(v[i]);
        java.util.Arrays.sort(abs);
        float exact = abs[(int) Math.ceil(0.999 * v.length) - 1];
        // The histogram resolves |x| to about two bins of 44/2048 (signed bins folded onto |x| bins).
        assertEquals(exact, tPct, 0.05, "percentile threshold");
        HistogramObserver kl = new HistogramObserver(2048, QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false, HistogramObserver.Calibration.ENTROPY, 99.99);
        kl.forward(x);
        float tKl = kl.calculateQparams().scale(0) * 127.5f;
        assertTrue(tKl > 2.0 && tKl < 8.0, "entropy threshold clips the outlier but keeps the bulk: " + tKl);
        MinMaxObserver mm = new MinMaxObserver(QDType.QINT8, QScheme.PER_TENSOR_SYMMETRIC, false);
        mm.forward(x);
        assertEquals(40f / 127.5f, mm.calculateQparams().scale(0), 1e-6f);
    }

    @Test
    void badInputGetsClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new MinMaxObserver(QDType.QINT8, QScheme.PER_CHANNEL_AFFINE, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MinMaxObserver(QDType.QINT8, QScheme.PER_TENSOR_AFFINE, false, 1, 7));
        assertTrue(e.getMessage().contains("include 0"), e.getMessage());
        PerChannelMinMaxObserver pc = new PerChannelMinMaxObserver();
        pc.forward(Tensor.zeros(3, 2));
        e = assertThrows(IllegalArgumentException.class, () -> pc.forward(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
        // Before any data, PyTorch returns scale 1, zero point 0.
        assertEquals(1f, new MinMaxObserver().calculateQparams().scale(0));
    }
}
