package org.sinter.rl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A trainer's loose state (environment snapshots, observations, partial returns, episode history)
 * as one text field of a checkpoint's metadata: a sequence of long, double and array values written
 * in binary and encoded in Base64, so every double comes back bit for bit. Read back in the order
 * written.
 */
public final class StateCodec {
    private StateCodec() {}

    /** Collects values, then {@link #encode}s them. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        public Writer putLong(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Writer putDouble(double v) {
            return putLong(Double.doubleToRawLongBits(v));
        }

        public Writer putLongs(long[] a) {
            putLong(a.length);
            for (long v : a) putLong(v);
            return this;
        }

        public Writer putDoubles(double[] a) {
            putLong(a.length);
            for (double v : a) putDouble(v);
            return this;
        }

        public Writer putDoubleRows(List<double[]> rows) {
            putLong(rows.size());
            for (double[] r : rows) putDoubles(r);
            return this;
        }

        public Writer putLongRows(List<long[]> rows) {
            putLong(rows.size());
            for (long[] r : rows) putLongs(r);
            return this;
        }

        /** The first {@code n} floats of {@code a}, bit for bit. */
        public Writer putFloats(float[] a, int n) {
            putLong(n);
            for (int i = 0; i < n; i++) putLong(Float.floatToRawIntBits(a[i]));
            return this;
        }

        /** The first {@code n} longs of {@code a}. */
        public Writer putLongs(long[] a, int n) {
            putLong(n);
            for (int i = 0; i < n; i++) putLong(a[i]);
            return this;
        }

        /** Every finished episode's return and end step, for a resumed run's {@link EpisodeReturns}. */
        public Writer putEpisodes(EpisodeReturns returns) {
            putDoubles(returns.all().stream().mapToDouble(Double::doubleValue).toArray());
            return putLongs(returns.endSteps().stream().mapToLong(Long::longValue).toArray());
        }

        public String encode() {
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
    }

    /** Where a ring buffer writes next and how many rows it holds. */
    public record RingPosition(int next, int size) {}

    /** Reads what a {@link Writer} encoded; {@code source} names the file in errors. */
    public static final class Reader {
        private final DataInputStream in;
        private final String source;

        public Reader(String encoded, String source) {
            this.source = source;
            try {
                in = new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": the saved training state is not valid Base64", e);
            }
        }

        public long getLong() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new IllegalArgumentException(source + ": the saved training state ends early", e);
            }
        }

        /**
         * A ring buffer's saved write position and row count (written as two longs), checked against
         * the {@code capacity} of the buffer restoring them; the error names {@code owner}.
         */
        public RingPosition getRingPosition(int capacity, String owner) {
            long next = getLong(), size = getLong();
            if (size < 0 || size > capacity || next < 0 || next >= capacity) {
                throw new IllegalArgumentException(owner + ": a saved state of " + size + " rows at position " + next + " does not fit a capacity of " + capacity);
            }
            return new RingPosition((int) next, (int) size);
        }

        public double getDouble() {
            return Double.longBitsToDouble(getLong());
        }

        private int length() {
            long n = getLong();
            if (n < 0 || n > 100_000_000) throw new IllegalArgumentException(source + ": the saved training state is damaged (length " + n + ")");
            return (int) n;
        }

        public long[] getLongs() {
            long[] a = new long[length()];
            for (int i = 0; i < a.length; i++) a[i] = getLong();
            return a;
        }

        public double[] getDoubles() {
            double[] a = new double[length()];
            for (int i = 0; i < a.length; i++) a[i] = getDouble();
            return a;
        }

        /** Floats a {@link Writer#putFloats} wrote, into the start of {@code into}, which must hold them; returns how many. */
        public int getFloats(float[] into, String field) {
            int n = length();
            if (n > into.length) throw new IllegalArgumentException(source + ": the saved " + field + " has " + n + " values, more than the " + into.length + " it must fit");
            for (int i = 0; i < n; i++) into[i] = Float.intBitsToFloat((int) getLong());
            return n;
        }

        /** Longs a {@link Writer#putLongs(long[], int)} wrote, into the start of {@code into}; returns how many. */
        public int getLongs(long[] into, String field) {
            int n = length();
            if (n > into.length) throw new IllegalArgumentException(source + ": the saved " + field + " has " + n + " values, more than the " + into.length + " it must fit");
            for (int i = 0; i < n; i++) into[i] = getLong();
            return n;
        }

        /** What {@link Writer#putEpisodes} wrote. */
        public EpisodeReturns.History getEpisodes() {
            List<Double> returns = java.util.Arrays.stream(getDoubles()).boxed().toList();
            List<Long> ends = java.util.Arrays.stream(getLongs()).boxed().toList();
            if (returns.size() != ends.size()) throw new IllegalArgumentException(source + ": " + returns.size() + " saved returns for " + ends.size() + " end steps");
            return new EpisodeReturns.History(returns, ends);
        }

        public List<double[]> getDoubleRows() {
            int n = length();
            List<double[]> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) rows.add(getDoubles());
            return rows;
        }

        public List<long[]> getLongRows() {
            int n = length();
            List<long[]> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) rows.add(getLongs());
            return rows;
        }
    }
}
