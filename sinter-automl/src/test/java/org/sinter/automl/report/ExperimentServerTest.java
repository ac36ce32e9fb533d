package org.sinter.automl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.ExperimentStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hpo serve}: the JSON and log endpoints and their errors over HTTP, and the live page in Debian's headless
 * Chromium while trials are journaled by another connection to the database, as the manager process does: the table
 * fills in, values and statuses change, a selected trial's curve and tailed log appear, sorting and filtering work.
 * The browser part is skipped when no Chromium is installed ({@code .ci/run} installs Debian's).
 */
class ExperimentServerTest {
    private static final String SPACE = "{\"lr\": {\"_type\": \"loguniform\", \"_value\": [0.0001, 0.1]}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExperimentStore journal(Path db, String name) throws Exception {
        ExperimentStore store = ExperimentStore.open(db);
        store.register(new ExperimentSpec(name, SPACE, "tpe", 0, Direction.MAXIMIZE, List.of("python3", "train.py"), 6));
        return store;
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpointsServeTheJournalAndRefuseBadRequests(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("hpo.db"), logs = dir.resolve("exp");
        Files.createDirectories(logs);
        try (ExperimentStore writer = journal(db, "exp");
             ExperimentServer server = ExperimentServer.start(db, "exp", logs, 0)) {
            assertTrue(java.net.InetAddress.getByName(server.uri().getHost()).isLoopbackAddress(), server.uri().toString());
            int attempt = writer.startAttempt("exp", 0, Map.of("lr", 0.01));
            writer.intermediate("exp", 0, attempt, 1, 0.5);
            writer.intermediate("exp", 0, attempt, 2, 0.75);
            writer.end("exp", 0, "SUCCEEDED", 0.75, null);
            writer.startAttempt("exp", 1, Map.of("lr", 0.001));
            Files.writeString(logs.resolve("trial-0.log"), "epoch 1\nepoch 2\n");

            JsonNode state = JSON.readTree(get(server.uri().resolve("/api/experiment")).body());
            assertEquals("exp", state.at("/experiment/name").asText());
            assertEquals("maximize", state.at("/experiment/direction").asText());
            assertEquals(2, state.get("trials").size());
            assertEquals("SUCCEEDED", state.at("/trials/0/status").asText());
            assertEquals(0.75, state.at("/trials/0/value").asDouble());
            assertEquals("lr", state.at("/experiment/parameterAxes/0").asText());
            assertEquals(1.0 / 3, state.at("/trials/1/axes/0").asDouble(), 1e-12, "lr 0.001 on the log axis [1e-4, 0.1]");
            assertEquals(List.of(0.5, 0.75), List.of(state.at("/trials/0/intermediates/0").asDouble(), state.at("/trials/0/intermediates/1").asDouble()));
            assertTrue(state.at("/trials/1/value").isNull());
            assertEquals("RUNNING", state.at("/trials/1/status").asText());

            HttpResponse<String> log = get(server.uri().resolve("/api/trials/0/log"));
            assertEquals(200, log.statusCode());
            assertEquals("epoch 1\nepoch 2\n", log.body());
            assertEquals("16", log.headers().firstValue("X-Log-Length").orElseThrow());
            assertEquals("16", log.headers().firstValue("X-Log-End").orElseThrow());
            assertEquals("epoch 2\n", get(server.uri().resolve("/api/trials/0/log?offset=8")).body());
            assertEquals("", get(server.uri().resolve("/api/trials/0/log?offset=999")).body());
            assertEquals(200, get(server.uri().resolve("/api/trials/1/log")).statusCode(), "a running trial without output yet");

            assertEquals(400, get(server.uri().resolve("/api/trials/x/log")).statusCode());
            assertEquals(400, get(server.uri().resolve("/api/trials/0/log?offset=-3")).statusCode());
            HttpResponse<String> unknown = get(server.uri().resolve("/api/trials/7/log"));
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("no trial 7"), unknown.body());
            assertEquals(404, get(server.uri().resolve("/nothing")).statusCode());
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/api/experiment"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertTrue(get(server.uri()).body().contains("<table id=\"trials\">"));
            assertTrue(get(server.uri().resolve("/report")).body().contains("Parameters and metric"));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> ExperimentServer.start(db, "other", logs, 0));
        assertTrue(e.getMessage().contains("no experiment 'other'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentServer.start(dir.resolve("none.db"), "exp", logs, 0));
        assertTrue(e.getMessage().contains("none.db"), e.getMessage());
    }

    @Test
    void livePageFillsInWhileTrialsAreJournaledInHeadlessChromium(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "no Chromium installed (Debian's chromium; .ci/run installs it): web UI browser test skipped");
        Path db = dir.resolve("hpo.db"), logs = dir.resolve("exp");
        Files.createDirectories(logs);
        try (ExperimentStore writer = journal(db, "exp");
             ExperimentServer server = ExperimentServer.start(db, "exp", logs, 0);
             HeadlessChromium browser = new HeadlessChromium(chromium.get(), dir.resolve("profile"))) {
            writer.startAttempt("exp", 0, Map.of("lr", 0.01));
            writer.startAttempt("exp", 1, Map.of("lr", 0.002));
            browser.navigate(server.uri().resolve("/?interval=200"));
            String rows = "Array.from(document.querySelectorAll('#trials tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent))";
            browser.waitFor(rows, v -> v.size() == 2 && v.get(0).get(1).asText().equals("RUNNING"), "two running trials");

            // The manager journals results: the page must follow without a reload.
            writer.intermediate("exp", 0, 1, 1, 0.61);
            writer.intermediate("exp", 0, 1, 2, 0.83);
            writer.end("exp", 0, "SUCCEEDED", 0.83, null);
            writer.intermediate("exp", 1, 1, 1, 0.40);
            writer.end("exp", 1, "EARLY_STOPPED", 0.40, null);
            writer.startAttempt("exp", 2, Map.of("lr", 0.05));
            JsonNode table = browser.waitFor(rows, v -> v.size() == 3 && v.get(0).get(1).asText().equals("SUCCEEDED"), "trial 0 finished and trial 2 started");
            assertEquals("0.83", table.get(0).get(2).asText());
            assertEquals("EARLY_STOPPED", table.get(1).get(1).asText());
            assertEquals("RUNNING", table.get(2).get(1).asText());
            browser.waitFor("document.getElementById('finished').textContent", v -> v.asText().equals("2"), "2 finished in the summary");
            assertEquals(2, browser.evaluate("document.querySelectorAll('#curves polyline.curve').length").asInt());
            assertEquals(1, browser.evaluate("document.querySelectorAll('#best-line').length").asInt());
            // The live parallel coordinates: one line per trial with a value, lr at its log-axis place (0.01 in [1e-4, 0.1]: 2/3 up).
            assertEquals(2, browser.evaluate("document.querySelectorAll('#parallel polyline.trial').length").asInt());
            assertEquals("lr,metric", browser.evaluate("Array.from(document.querySelectorAll('#parallel .axis-name')).map(t => t.textContent).join(',')").asText());
            assertEquals(2.0 / 3, browser.evaluate("(() => { const p = document.querySelector('#parallel polyline.trial[data-id=\"0\"]').getAttribute('points')"
                    + ".split(' ')[0].split(',')[1]; return (240 - Number(p)) / 210; })()").asDouble(), 1e-6);
            browser.evaluate("document.querySelector('#parallel polyline.trial[data-id=\"1\"]').dispatchEvent(new MouseEvent('click', {bubbles: true})), 1");
            browser.waitFor("document.getElementById('detail-title').textContent", v -> v.asText().startsWith("Trial 1"), "a click on a line opens its trial");

            // Select trial 0: its intermediate results and its log, tailed as the trial writes more.
            Path log = logs.resolve("trial-0.log");
            Files.writeString(log, "loading data\nepoch 1: accuracy 0.61\n");
            browser.evaluate("document.querySelector('#trials tbody tr[data-id=\"0\"]').click(), 1");
            browser.waitFor("document.getElementById('log').textContent", v -> v.asText().contains("epoch 1: accuracy 0.61"), "trial 0's log");
            assertEquals("0.61, 0.83", browser.evaluate("document.getElementById('detail-values').textContent").asText());
            Files.writeString(log, "epoch 2: accuracy 0.83\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            JsonNode text = browser.waitFor("document.getElementById('log').textContent", v -> v.asText().contains("epoch 2"), "the log's new line");
            assertEquals("loading data\nepoch 1: accuracy 0.61\nepoch 2: accuracy 0.83\n", text.asText(), "each byte of the log exactly once");

            // Sort by value (descending after two clicks) and filter.
            browser.evaluate("document.querySelector('th[data-key=\"value\"]').click(), document.querySelector('th[data-key=\"value\"]').click(), 1");
            browser.waitFor("Array.from(document.querySelectorAll('#trials tbody tr')).map(r => r.dataset.id).join(',')",
                    v -> v.asText().startsWith("0,1"), "rows sorted by value, descending");
            browser.evaluate("(() => { const f = document.getElementById('filter'); f.value = 'early'; f.dispatchEvent(new Event('input')); return 1; })()");
            browser.waitFor(rows, v -> v.size() == 1 && v.get(0).get(0).asText().equals("1"), "only the early-stopped trial");

            Path shot = Path.of("target", "hpo-serve.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
        }
    }
}
