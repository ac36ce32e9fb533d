package org.sinter.compress.quant;

import java.util.function.Supplier;
import org.sinter.compress.quant.observer.HistogramObserver;
import org.sinter.compress.quant.observer.MinMaxObserver;
import org.sinter.compress.quant.observer.MovingAverageMinMaxObserver;
import org.sinter.compress.quant.observer.Observer;
import org.sinter.compress.quant.observer.PerChannelMinMaxObserver;

/**
 * Which observers a prepared model places on activations and on weights (PyTorch's {@code QConfig}).
 * Activations are quint8 with the reduced 7-bit range (as PyTorch's x86/fbgemm default), which also
 * lets the int8 kernels take two products per 16-bit lane; weights are per-channel symmetric qint8.
 */
public record QConfig(Supplier<Observer> activation, Supplier<Observer> weight) {
    /** The activation calibrations {@code ./sinter compress --calibration} offers. */
    public enum Calibration { MINMAX, L2, PERCENTILE, ENTROPY }

    /** PyTorch's {@code get_default_qconfig("x86")}: histogram (L2 search) activations, per-channel weights. */
    public static QConfig defaultQConfig() {
        return of(Calibration.L2);
    }

    /** PyTorch's default QAT qconfig: moving-average min/max activations (cheap to update every step), per-channel weights. */
    public static QConfig defaultQatQConfig() {
        return new QConfig(() -> new MovingAverageMinMaxObserver(0.01f, QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true), PerChannelMinMaxObserver::new);
    }

    public static QConfig of(Calibration calibration) {
        Supplier<Observer> act = switch (calibration) {
            case MINMAX -> () -> new MinMaxObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true);
            case L2 -> () -> new HistogramObserver(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true);
            case PERCENTILE -> () -> new HistogramObserver(2048, QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true, HistogramObserver.Calibration.PERCENTILE, 99.99);
            case ENTROPY -> () -> new HistogramObserver(2048, QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, true, HistogramObserver.Calibration.ENTROPY, 99.99);
        };
        return new QConfig(act, PerChannelMinMaxObserver::new);
    }
}
