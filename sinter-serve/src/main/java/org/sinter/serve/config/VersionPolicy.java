package org.sinter.serve.config;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which of a model's numbered version directories are served (Triton's {@code version_policy}): the
 * latest N, a specific list, or all of them.
 */
public sealed interface VersionPolicy {
    /** The versions to serve among those present on disk. */
    SortedSet<Long> select(SortedSet<Long> present);

    record Latest(int count) implements VersionPolicy {
        public Latest {
            if (count < 1) throw new IllegalArgumentException("version_policy.latest.num_versions must be at least 1, got " + count);
        }

        @Override
        public SortedSet<Long> select(SortedSet<Long> present) {
            TreeSet<Long> out = new TreeSet<>();
            for (Long v : present.reversed()) {
                if (out.size() == count) break;
                out.add(v);
            }
            return out;
        }
    }

    record Specific(List<Long> versions) implements VersionPolicy {
        public Specific {
            if (versions.isEmpty()) throw new IllegalArgumentException("version_policy.specific.versions is empty");
            versions = List.copyOf(versions);
        }

        @Override
        public SortedSet<Long> select(SortedSet<Long> present) {
            TreeSet<Long> out = new TreeSet<>(versions);
            out.retainAll(present);
            return out;
        }
    }

    record All() implements VersionPolicy {
        @Override
        public SortedSet<Long> select(SortedSet<Long> present) {
            return new TreeSet<>(present);
        }
    }
}
