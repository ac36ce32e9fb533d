package org.sinter.cli.progress;

import java.util.Locale;

/** Text pieces of a progress line: bar, durations, rates. */
final class ProgressFormat {
    private ProgressFormat() {}

    /** {@code [=========>          ]} with {@code width} cells for a fraction in [0, 1]. */
    static String bar(double fraction, int width) {
        double f = Math.max(0, Math.min(1, fraction));
        int full = (int) Math.floor(f * width);
        StringBuilder sb = new StringBuilder(width + 2).append('[');
        for (int i = 0; i < width; i++) sb.append(i < full ? '=' : i == full && f < 1 ? '>' : ' ');
        return sb.append(']').toString();
    }

    /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}; {@code --:--} when unknown. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "--:--";
        long s = Math.round(seconds);
        long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** {@code 523/s}, {@code 12.3k/s}, {@code 1.20M/s}. */
    static String rate(double perSecond, String unit) {
        String u = unit.isEmpty() ? "/s" : " " + unit + "/s";
        if (!Double.isFinite(perSecond)) return "-" + u;
        if (perSecond >= 1e6) return String.format(Locale.ROOT, "%.2fM%s", perSecond / 1e6, u);
        if (perSecond >= 1e4) return String.format(Locale.ROOT, "%.1fk%s", perSecond / 1e3, u);
        if (perSecond >= 100) return String.format(Locale.ROOT, "%.0f%s", perSecond, u);
        return String.format(Locale.ROOT, "%.1f%s", perSecond, u);
    }

    static String metric(String name, double value, boolean percent) {
        return percent ? String.format(Locale.ROOT, "%s %.2f%%", name, 100 * value)
                : String.format(Locale.ROOT, "%s %.4f", name, value);
    }
}
