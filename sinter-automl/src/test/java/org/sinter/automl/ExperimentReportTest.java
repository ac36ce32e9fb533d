package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.StoredTrial;
import org.sinter.automl.report.ExperimentReport;
import org.sinter.automl.space.SearchSpaceJson;

/** The HTML report: best-so-far in end order and direction, escaping, one line per trial. */
class ExperimentReportTest {
    static StoredTrial trial(int id, String status, double value, int endSequence, List<Double> intermediates) {
        return new StoredTrial(id, Map.of("lr", 0.001 * (id + 1), "opt", id % 2 == 0 ? "adam" : "sgd"), status, value, 1,
                "FAILED".equals(status) ? "exited with <status> 1" : null, intermediates, 0, 0, null, endSequence);
    }

    @Test
    void reportsTheBestSoFarInEndOrderAndEscapesText() {
        var spec = new ExperimentSpec("demo", SearchSpaceJson.toJson(SearchSpaceJson.parse("""
                {"lr": {"_type": "loguniform", "_value": [0.0001, 0.1]}, "opt": {"_type": "choice", "_value": ["adam", "sgd"]}}
                """)).toString(), "tpe", 0, Direction.MAXIMIZE, List.of("python3", "train.py", "--tag", "<a&b>"), 4);
        List<StoredTrial> trials = List.of(trial(0, "SUCCEEDED", 0.7, 3, List.of(0.5, 0.7)), trial(1, "SUCCEEDED", 0.9, 1, List.of(0.9)),
                trial(2, "FAILED", Double.NaN, 2, List.of()), trial(3, "SUCCEEDED", 0.8, 4, List.of(0.6, 0.8)));
        String html = ExperimentReport.html(spec, trials);
        // Ended in the order 1 (0.9), 2 (failed), 0 (0.7), 3 (0.8): the best stays 0.9 from the first point on.
        assertTrue(html.contains("best: trial 1, 0.900000"), html);
        assertTrue(html.contains("4 of 4 trials finished"), html);
        assertTrue(html.contains("train.py --tag &lt;a&amp;b&gt;"), "the command is escaped");
        assertTrue(html.contains("exited with &lt;status&gt; 1"), "errors are escaped");
        assertFalse(html.contains("<a&b>"));
        assertEquals(3, html.split("<polyline class=\"trial\"", -1).length - 1, "failed trials have no metric to plot");
        assertEquals(1 + 3, html.split("<polyline class=\"curve\"", -1).length - 1, "best-so-far and three intermediate curves");
    }
}
