package org.sinter.automl.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.StoredTrial;
import org.sinter.automl.space.NestedOption;
import org.sinter.automl.space.Parameter;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * One experiment as a self-contained HTML page (no scripts or styles from elsewhere, so it opens offline): a summary,
 * the best-so-far curve over finished trials, every trial's intermediate results, a parallel-coordinates plot of the
 * top-level parameters against the metric, and the trial table (click a header to sort, type to filter). The plots
 * are inline SVG drawn here; the only script sorts and filters the table. A static snapshot: regenerate it to see
 * later trials.
 */
public final class ExperimentReport {
    private ExperimentReport() {}

    static final int WIDTH = 640, HEIGHT = 260, MARGIN = 40;

    public static String html(ExperimentSpec spec, List<StoredTrial> trials) {
        SearchSpace space = SearchSpaceJson.parse(spec.searchSpaceJson());
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sinter hpo: ")
                .append(escape(spec.name())).append("</title>\n<style>")
                .append("body{font:14px sans-serif;margin:24px;color:#222}svg{background:#fafafa;border:1px solid #ddd;margin:8px 0}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}")
                .append("th{cursor:pointer;background:#eee}.axis{stroke:#888}.label{font:11px sans-serif;fill:#444}")
                .append("</style></head><body>\n");
        long finished = trials.stream().filter(StoredTrial::finished).count();
        h.append("<h1>").append(escape(spec.name())).append("</h1>\n<p id=\"summary\">tuner ").append(escape(spec.tuner()))
                .append(", seed ").append(spec.seed()).append(", ").append(spec.direction().name().toLowerCase(Locale.ROOT))
                .append(", ").append(finished).append(" of ").append(trials.size()).append(" trials finished");
        best(spec, trials).ifPresent(t -> h.append("; best: trial ").append(t.id()).append(", ").append(num(t.value())));
        h.append("</p>\n<p>command: <code>").append(escape(String.join(" ", spec.command()))).append("</code></p>\n");

        h.append("<h2>Best so far</h2>\n").append(bestSoFar(spec, trials));
        h.append("<h2>Intermediate results</h2>\n").append(intermediates(trials));
        h.append("<h2>Parameters and metric</h2>\n").append(parallelCoordinates(space, trials));
        h.append("<h2>Trials</h2>\n<p><input id=\"filter\" placeholder=\"filter rows\" oninput=\"filterRows(this.value)\"></p>\n")
                .append(table(trials)).append(SCRIPT).append("</body></html>\n");
        return h.toString();
    }

    private static java.util.Optional<StoredTrial> best(ExperimentSpec spec, List<StoredTrial> trials) {
        return trials.stream().filter(t -> "SUCCEEDED".equals(t.status()) && !Double.isNaN(t.value()))
                .min(Comparator.comparingDouble(t -> spec.direction().toLoss(t.value())));
    }

    /** The best metric after each finished trial, in the order trials ended. */
    static List<double[]> bestCurve(ExperimentSpec spec, List<StoredTrial> trials) {
        List<StoredTrial> ended = trials.stream().filter(t -> "SUCCEEDED".equals(t.status()) && !Double.isNaN(t.value()))
                .sorted(Comparator.comparingInt(StoredTrial::endSequence).thenComparingInt(StoredTrial::id)).toList();
        List<double[]> points = new ArrayList<>();
        double best = Double.NaN;
        for (int i = 0; i < ended.size(); i++) {
            double v = ended.get(i).value();
            if (Double.isNaN(best) || spec.direction().toLoss(v) < spec.direction().toLoss(best)) best = v;
            points.add(new double[] {i + 1, best});
        }
        return points;
    }

    private static String bestSoFar(ExperimentSpec spec, List<StoredTrial> trials) {
        List<double[]> points = bestCurve(spec, trials);
        if (points.isEmpty()) return "<p>no finished trial yet</p>\n";
        Plot plot = Plot.of(points);
        return plot.svg("best-so-far", "finished trials", "best metric", List.of(plot.polyline(points, "#1f77b4", "best")));
    }

    private static String intermediates(List<StoredTrial> trials) {
        List<List<double[]>> curves = new ArrayList<>();
        List<double[]> all = new ArrayList<>();
        for (StoredTrial t : trials) {
            List<double[]> c = new ArrayList<>();
            for (int i = 0; i < t.intermediates().size(); i++) c.add(new double[] {i + 1, t.intermediates().get(i)});
            curves.add(c);
            all.addAll(c);
        }
        if (all.isEmpty()) return "<p>no intermediate results</p>\n";
        Plot plot = Plot.of(all);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++)
            if (!curves.get(i).isEmpty()) lines.add(plot.polyline(curves.get(i), color(i), "trial " + trials.get(i).id()));
        return plot.svg("intermediates", "step (epoch)", "metric", lines);
    }

    /** One vertical axis per top-level parameter (log axes for the log kinds, one tick per option for choices) and one for the metric. */
    private static String parallelCoordinates(SearchSpace space, List<StoredTrial> trials) {
        List<StoredTrial> done = trials.stream().filter(t -> !Double.isNaN(t.value())).toList();
        if (done.isEmpty()) return "<p>no results yet</p>\n";
        List<String> names = new ArrayList<>(space.parameters().keySet());
        int axes = names.size() + 1;
        double lo = done.stream().mapToDouble(StoredTrial::value).min().orElse(0), hi = done.stream().mapToDouble(StoredTrial::value).max().orElse(1);
        StringBuilder s = new StringBuilder();
        int width = Math.max(WIDTH, 110 * axes), top = 30, bottom = HEIGHT - 20;
        s.append("<svg id=\"parallel-coordinates\" width=\"").append(width).append("\" height=\"").append(HEIGHT).append("\">\n");
        double step = (width - 2.0 * MARGIN) / Math.max(1, axes - 1);
        for (int a = 0; a < axes; a++) {
            double x = MARGIN + a * step;
            s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, top, x, bottom));
            s.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, top - 12,
                    escape(a < names.size() ? names.get(a) : "metric")));
        }
        for (StoredTrial t : done) {
            StringBuilder pts = new StringBuilder();
            for (int a = 0; a < axes; a++) {
                double f = a < names.size() ? position(space.parameters().get(names.get(a)), t.parameters().get(names.get(a)))
                        : (hi > lo ? (t.value() - lo) / (hi - lo) : 0.5);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", MARGIN + a * step, bottom - f * (bottom - top)));
            }
            double shade = hi > lo ? (t.value() - lo) / (hi - lo) : 0.5;
            s.append(String.format(Locale.ROOT, "<polyline class=\"trial\" fill=\"none\" stroke=\"hsl(%d,70%%,45%%)\" stroke-opacity=\"0.7\" points=\"%s\"><title>trial %d: %s</title></polyline>\n",
                    (int) Math.round(240 * (1 - shade)), pts.toString().strip(), t.id(), num(t.value())));
        }
        return s.append("</svg>\n<p class=\"label\">colour: metric, blue (low) to red (high); log axes for the log kinds</p>\n").toString();
    }

    /** Where {@code value} sits on its parameter's axis, 0 (bottom) to 1 (top). */
    static double position(Parameter p, Object value) {
        if (value == null) return 0;
        return switch (p) {
            case Parameter.Choice c -> {
                int n = c.options().size(), index = 0;
                for (int i = 0; i < n; i++) {
                    Object o = c.options().get(i);
                    boolean match = o instanceof NestedOption nested ? value instanceof Map<?, ?> m && nested.name().equals(m.get(NestedOption.NAME_KEY))
                            : o.equals(value) || (o instanceof Number a && value instanceof Number b && a.doubleValue() == b.doubleValue());
                    if (match) index = i;
                }
                yield n == 1 ? 0.5 : index / (n - 1.0);
            }
            case Parameter.LogUniform u -> frac(Math.log(num(value)), Math.log(u.low()), Math.log(u.high()));
            case Parameter.QLogUniform u -> frac(Math.log(num(value)), Math.log(u.low()), Math.log(u.high()));
            case Parameter.Uniform u -> frac(num(value), u.low(), u.high());
            case Parameter.QUniform u -> frac(num(value), u.low(), u.high());
            case Parameter.RandInt r -> frac(num(value), r.lower(), r.upper() - 1);
            case Parameter.Normal n -> frac(num(value), n.mu() - 3 * n.sigma(), n.mu() + 3 * n.sigma());
            case Parameter.QNormal n -> frac(num(value), n.mu() - 3 * n.sigma(), n.mu() + 3 * n.sigma());
            case Parameter.LogNormal n -> frac(Math.log(num(value)), n.mu() - 3 * n.sigma(), n.mu() + 3 * n.sigma());
        };
    }

    private static double num(Object v) { return ((Number) v).doubleValue(); }

    private static double frac(double v, double lo, double hi) {
        return hi > lo ? Math.clamp((v - lo) / (hi - lo), 0, 1) : 0.5;
    }

    private static String table(List<StoredTrial> trials) {
        boolean jobs = trials.stream().anyMatch(t -> t.budget() != null);
        StringBuilder s = new StringBuilder("<table id=\"trials\"><thead><tr><th>trial</th><th>status</th><th>value</th>");
        if (jobs) s.append("<th>config</th><th>rung</th><th>budget</th>");
        s.append("<th>attempts</th><th>intermediate</th><th>parameters</th><th>error</th></tr></thead><tbody>\n");
        for (StoredTrial t : trials) {
            s.append("<tr><td>").append(t.id()).append("</td><td>").append(t.status()).append("</td><td>")
                    .append(Double.isNaN(t.value()) ? "" : num(t.value())).append("</td>");
            if (jobs) {
                s.append("<td>").append(t.budget() == null ? "" : t.budget().config()).append("</td><td>")
                        .append(t.budget() == null ? "" : t.budget().rung()).append("</td><td>")
                        .append(t.budget() == null ? "" : num(t.budget().budget())).append("</td>");
            }
            s.append("<td>").append(t.attempts()).append("</td><td>").append(t.intermediates().size()).append("</td><td><code>")
                    .append(escape(json(t.parameters()))).append("</code></td><td>").append(t.error() == null ? "" : escape(t.error()))
                    .append("</td></tr>\n");
        }
        return s.append("</tbody></table>\n").toString();
    }

    private static String json(Map<String, Object> p) {
        try {
            return SearchSpaceJson.MAPPER.writeValueAsString(p);
        } catch (Exception e) {
            return p.toString();
        }
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String color(int i) {
        return "hsl(" + (i * 47) % 360 + ",65%,45%)";
    }

    /** Sorts the table by a clicked column (numbers as numbers) and hides rows that do not contain the filter text. */
    private static final String SCRIPT = """
            <script>
            document.querySelectorAll('#trials th').forEach((th, col) => th.addEventListener('click', () => {
              const body = document.querySelector('#trials tbody');
              const rows = Array.from(body.rows);
              const up = th.dataset.order !== 'asc';
              rows.sort((a, b) => {
                const x = a.cells[col].textContent, y = b.cells[col].textContent;
                const nx = parseFloat(x), ny = parseFloat(y);
                const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
                return up ? c : -c;
              });
              th.dataset.order = up ? 'asc' : 'desc';
              rows.forEach(r => body.appendChild(r));
            }));
            function filterRows(text) {
              document.querySelectorAll('#trials tbody tr').forEach(r => {
                r.style.display = r.textContent.toLowerCase().includes(text.toLowerCase()) ? '' : 'none';
              });
            }
            </script>
            """;

    /** Linear axes fitted to some points, and SVG drawn on them. */
    record Plot(double xMin, double xMax, double yMin, double yMax) {
        static Plot of(List<double[]> points) {
            double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
            for (double[] p : points) {
                x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]);
            }
            if (!(x1 > x0)) { x0 -= 0.5; x1 += 0.5; }
            if (!(y1 > y0)) { y0 -= 0.5; y1 += 0.5; }
            return new Plot(x0, x1, y0, y1);
        }

        double x(double v) { return MARGIN + (v - xMin) / (xMax - xMin) * (WIDTH - 2 * MARGIN); }

        double y(double v) { return HEIGHT - MARGIN - (v - yMin) / (yMax - yMin) * (HEIGHT - 2 * MARGIN); }

        String polyline(List<double[]> points, String stroke, String title) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : points) pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0]), y(p[1])));
            return "<polyline class=\"curve\" fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"1.5\" points=\"" + pts.toString().strip()
                    + "\"><title>" + escape(title) + "</title></polyline>";
        }

        String svg(String id, String xLabel, String yLabel, List<String> lines) {
            StringBuilder s = new StringBuilder();
            s.append("<svg id=\"").append(id).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\">\n");
            s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
            s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
            s.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>", MARGIN, MARGIN - 8, escape(yLabel + " (" + num(yMin) + " to " + num(yMax) + ")")));
            s.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", WIDTH - MARGIN, HEIGHT - 10,
                    escape(xLabel + " (" + num(xMin) + " to " + num(xMax) + ")")));
            for (String l : lines) s.append(l).append('\n');
            return s.append("</svg>\n").toString();
        }
    }
}
