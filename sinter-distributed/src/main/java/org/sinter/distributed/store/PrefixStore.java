package org.sinter.distributed.store;

import java.time.Duration;
import java.util.List;

/** A view of a store whose keys all start with {@code prefix/} (PyTorch's {@code PrefixStore}); closing it leaves the base open. */
public final class PrefixStore implements Store {
    private final String prefix;
    private final Store base;

    public PrefixStore(String prefix, Store base) {
        this.prefix = prefix + "/";
        this.base = base;
    }

    private String k(String key) { return prefix + key; }

    @Override public void set(String key, byte[] value) { base.set(k(key), value); }
    @Override public byte[] get(String key) { return base.get(k(key)); }
    @Override public long add(String key, long delta) { return base.add(k(key), delta); }
    @Override public boolean check(List<String> keys) { return base.check(keys.stream().map(this::k).toList()); }
    @Override public void waitFor(List<String> keys, Duration timeout) { base.waitFor(keys.stream().map(this::k).toList(), timeout); }
    @Override public Duration timeout() { return base.timeout(); }
    @Override public void close() { }
}
