package org.sinter.cluster.policy;

import java.util.List;
import java.util.Locale;

/** Policies by their command-line names. */
public final class Policies {
    public static final List<String> NAMES = List.of("fifo", "sjf", "srtf", "tiresias", "easy");

    private Policies() {}

    public static Policy of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "fifo" -> new Fifo();
            case "sjf" -> new Sjf();
            case "srtf" -> new Srtf();
            case "tiresias", "las", "2d-las" -> new Tiresias();
            case "easy", "backfill", "easy-backfill" -> new EasyBackfill();
            default -> throw new IllegalArgumentException("unknown policy '" + name + "': expected one of " + String.join(", ", NAMES));
        };
    }
}
