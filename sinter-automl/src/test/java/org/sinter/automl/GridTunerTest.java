package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.GridTuner;

class GridTunerTest {

    @Test
    void enumeratesEveryCombinationExactlyOnceThenStops() {
        var space = SearchSpaceJson.parse("""
                {"opt": {"_type": "choice", "_value": ["adam", "sgd"]},
                 "layers": {"_type": "randint", "_value": [1, 4]},
                 "dropout": {"_type": "quniform", "_value": [0.1, 0.5, 0.2]},
                 "block": {"_type": "choice", "_value": [{"_name": "plain"},
                                                        {"_name": "res", "width": {"_type": "choice", "_value": [8, 16]}}]}}
                """);
        GridTuner tuner = new GridTuner(space);
        List<Map<String, Object>> proposed = new ArrayList<>();
        for (int id = 0; ; id++) {
            var p = tuner.generateParameters(id);
            if (p.isEmpty()) break;
            proposed.add(p.get());
        }
        // quniform [0.1, 0.5] q 0.2: u/q lies in [0.5, 2.5], which rounds to 1, 2 or 3 (0 and 0.1
        // only at the single point u = 0.1): clip(0.2, 0.4, 0.6) = 0.2, 0.4, 0.5.
        // 2 optimizers x 3 layer counts x 3 dropouts x (1 plain + 2 res widths) = 54
        assertEquals(54, proposed.size());
        assertEquals(54, new HashSet<>(proposed).size());
        assertTrue(proposed.contains(Map.of("opt", "sgd", "layers", 3, "dropout", 0.5, "block", Map.of("_name", "res", "width", 16))));
        assertTrue(proposed.contains(Map.of("opt", "adam", "layers", 1, "dropout", 0.2, "block", Map.of("_name", "plain"))));
        assertEquals(List.of(0.2, 0.4, 0.5), proposed.stream().map(m -> (Double) m.get("dropout")).distinct().sorted().toList());
    }

    @Test
    void restoredGridSkipsWhatWasAlreadyIssued() {
        var space = SearchSpaceJson.parse("{\"a\": {\"_type\": \"randint\", \"_value\": [0, 5]}}");
        GridTuner tuner = new GridTuner(space);
        tuner.restore(List.of(Map.of("a", 0), Map.of("a", 3)), List.of());
        List<Object> rest = new ArrayList<>();
        for (var p = tuner.generateParameters(0); p.isPresent(); p = tuner.generateParameters(0)) rest.add(p.get().get("a"));
        assertEquals(List.of(1, 2, 4), rest);
    }

    @Test
    void refusesContinuousParametersByName() {
        var space = SearchSpaceJson.parse("{\"lr\": {\"_type\": \"loguniform\", \"_value\": [0.001, 0.1]}}");
        var e = assertThrows(IllegalArgumentException.class, () -> new GridTuner(space));
        assertTrue(e.getMessage().startsWith("parameter 'lr': grid search cannot enumerate loguniform"), e.getMessage());
    }
}
