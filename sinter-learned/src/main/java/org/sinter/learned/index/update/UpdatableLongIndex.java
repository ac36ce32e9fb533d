package org.sinter.learned.index.update;

/** A set of 64-bit keys (a multiset: inserting a present key adds a copy) that takes inserts and answers membership. */
public interface UpdatableLongIndex {
    String name();

    /** Keys held, copies counted. */
    long size();

    void insert(long key);

    boolean contains(long key);

    /** Bytes of the whole structure, keys included (what an updatable index costs to keep). */
    long bytes();
}
