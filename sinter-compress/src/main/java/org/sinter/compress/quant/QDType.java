package org.sinter.compress.quant;

/**
 * The 8-bit quantized element types (PyTorch's {@code torch.quint8} and {@code torch.qint8}). Values
 * are held in {@code byte}s; a quint8 byte is read unsigned.
 */
public enum QDType {
    /** Unsigned 8-bit, 0..255: activations (the u8 side of a u8 x s8 product). */
    QUINT8(0, 255, "torch.quint8"),
    /** Signed 8-bit, -128..127: weights. */
    QINT8(-128, 127, "torch.qint8");

    private final int min, max;
    private final String torchName;

    QDType(int min, int max, String torchName) {
        this.min = min;
        this.max = max;
        this.torchName = torchName;
    }

    public int min() { return min; }

    public int max() { return max; }

    public String torchName() { return torchName; }

    /** The integer a stored byte stands for. */
    public int read(byte b) {
        return this == QUINT8 ? b & 0xFF : b;
    }

    /**
     * PyTorch's {@code calculate_qmin_qmax}: the dtype's full range, or its 7-bit half with
     * {@code reduceRange}; a custom range is taken as given (and halved with {@code reduceRange}, as
     * PyTorch 1.13 still does).
     *
     * @param quantMin custom minimum or null; {@code quantMin} and {@code quantMax} are both given or both null
     */
    public int[] range(Integer quantMin, Integer quantMax, boolean reduceRange) {
        if ((quantMin == null) != (quantMax == null)) {
            throw new IllegalArgumentException("quant_min and quant_max must both be given or both be left out, got " + quantMin + ", " + quantMax);
        }
        if (quantMin != null) {
            if (!(quantMin <= 0 && 0 <= quantMax)) throw new IllegalArgumentException("quantization range [" + quantMin + ", " + quantMax + "] must include 0");
            if (quantMin >= quantMax) throw new IllegalArgumentException("quant_min " + quantMin + " must be below quant_max " + quantMax);
            if (quantMax - quantMin + 1 > 256) throw new IllegalArgumentException("quantization range [" + quantMin + ", " + quantMax + "] exceeds 8 bits");
            return reduceRange ? new int[] {Math.floorDiv(quantMin, 2), Math.floorDiv(quantMax, 2)} : new int[] {quantMin, quantMax};
        }
        if (this == QINT8) return reduceRange ? new int[] {-64, 63} : new int[] {-128, 127};
        return reduceRange ? new int[] {0, 127} : new int[] {0, 255};
    }
}
