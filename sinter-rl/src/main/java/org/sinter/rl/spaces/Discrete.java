package org.sinter.rl.spaces;

import org.sinter.Generator;

/** The integers {@code start, …, start + n − 1} (Gymnasium's {@code Discrete(n, start)}). */
public record Discrete(int n, int start) implements Space<Integer> {
    public Discrete {
        if (n <= 0) throw new IllegalArgumentException("Discrete: n must be positive, got " + n);
    }

    public Discrete(int n) {
        this(n, 0);
    }

    @Override
    public Integer sample(Generator generator) {
        return start + generator.random().nextInt(n);
    }

    @Override
    public boolean contains(Integer x) {
        return x != null && x >= start && x < start + n;
    }

    @Override
    public String toString() {
        return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
    }
}
