package dev.agentapi.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The App Insights dashboards and alerts (deploy/azure) show only telemetry the service really
 * emits: every custom event, metric, request route and custom dimension a query names must be one
 * that the main sources send ({@link EmittedTelemetry}). A renamed event or a dropped tag fails here,
 * not as an empty chart in production.
 */
class WorkbookQueriesTest {

    private static final Path AZURE = Path.of("deploy", "azure");
    private static final Pattern TABLE = Pattern.compile("\\b(customEvents|customMetrics|requests|dependencies|exceptions|traces)\\b");
    private static final Pattern NAME_EQUALS = Pattern.compile("\\bname\\s*(?:==|=~)\\s*\"([^\"]+)\"");
    private static final Pattern NAME_IN = Pattern.compile("\\bname\\s+in~?\\s*\\(([^)]*)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern DIMENSION = Pattern.compile("customDimensions(?:\\.([A-Za-z_][\\w]*)|\\[\\s*[\"']([^\"']+)[\"']\\s*\\])");
    private static final Pattern SAMPLED = Pattern.compile("\\b(customEvents|requests|dependencies|exceptions)\\b");
    private static final Pattern ROW_COUNT = Pattern.compile("(?<![\\w])count(?:if)?\\s*\\(");
    private static final Pattern LOAD_TEXT = Pattern.compile("loadTextContent\\('([^']+)'\\)");

    private static EmittedTelemetry emitted;

    @BeforeAll
    static void scanSources() {
        emitted = EmittedTelemetry.scan(Path.of("src", "main", "java"));
    }

    @Test
    void everyQueryNamesOnlyEmittedTelemetry() throws IOException {
        Map<String, String> queries = allQueries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        List<String> problems = new ArrayList<>();
        queries.forEach((where, query) -> problems.addAll(unknownNames(where, query)));
        assertThat(problems).as("names in deploy/azure the service never emits").isEmpty();
    }

    @Test
    void theDashboardCoversWhatOperatorsWatch() throws IOException {
        String all = String.join("\n", allQueries().values());
        assertThat(all).contains("rate_limit.exceeded", "agent.created", "agent.deleted", "agent.launched",
                "agent.crashed", "agent.capacity_refused", "agent.hibernated", "agent.woken", "customDimensions.wake_ms",
                "redis_available", "GET /health/ready", "postgresql");
    }

    /**
     * The agent samples requests, dependencies, exceptions and custom events (5 requests a second by
     * default), and a kept row stands for itemCount rows: counting rows under-reports every chart.
     */
    @Test
    void countsOverSampledTablesWeighRowsByItemCount() throws IOException {
        List<String> blind = new ArrayList<>();
        allQueries().forEach((where, query) -> {
            if (SAMPLED.matcher(query).find() && ROW_COUNT.matcher(query).find()) {
                blind.add(where);
            }
        });
        assertThat(blind).as("queries over sampled telemetry that count rows instead of sum(itemCount)").isEmpty();
        assertThat(ROW_COUNT.matcher("requests | summarize n = countif(success)").find()).isTrue();
        assertThat(ROW_COUNT.matcher("requests | summarize n = sumif(itemCount, success), d = dcount(name)").find()).isFalse();
    }

    @Test
    void bicepLoadsQueriesAndWorkbookThatExist() throws IOException {
        String bicep = Files.readString(AZURE.resolve("main.bicep"));
        Matcher m = LOAD_TEXT.matcher(bicep);
        List<String> loaded = new ArrayList<>();
        while (m.find()) {
            loaded.add(m.group(1));
        }
        assertThat(loaded).contains("workbook.json", "alerts/readiness-failures.kql", "alerts/error-rate.kql");
        assertThat(loaded).allSatisfy(file -> assertThat(AZURE.resolve(file)).isRegularFile());
    }

    /** The scan must see what the code obviously sends; an empty scan would let any query pass. */
    @Test
    void scanFindsTheServicesTelemetry() {
        assertThat(emitted.events()).containsKeys("agent.created", "agent.deleted", "rate_limit.exceeded");
        assertThat(emitted.events().get("agent.created")).contains("agent_id", "channel", "effective_channel", "status");
        assertThat(emitted.events().get("rate_limit.exceeded")).contains("policy", "backend");
        assertThat(emitted.events().get("agent.woken")).contains("agent_id", "wake_ms");
        assertThat(emitted.events()).containsKey("agent.hibernated");
        assertThat(emitted.meters()).containsKeys("redis_available", "agent_cache_requests", "health_checks");
        assertThat(emitted.meters().get("agent_cache_requests")).containsExactly("result");
        assertThat(emitted.routes()).contains("GET /health/ready", "POST /api/agents/browser",
                "POST /api/agents/browser/{agentId}/actions", "DELETE /api/agents/browser/{agentId}");
    }

    @Test
    void checkerRejectsNamesTheServiceDoesNotSend() {
        assertThat(unknownNames("test", "customEvents | where name == \"agent.teleported\"")).hasSize(1);
        assertThat(unknownNames("test", "customEvents | where name in (\"agent.created\", \"agent.cloned\")")).hasSize(1);
        assertThat(unknownNames("test", "customMetrics | where name == \"queue_depth\"")).hasSize(1);
        assertThat(unknownNames("test", "customEvents | where name == \"agent.created\" | summarize by tostring(customDimensions.colour)")).hasSize(1);
        assertThat(unknownNames("test", "customMetrics | where name == \"agent_cache_requests\" | summarize by tostring(customDimensions['policy'])")).hasSize(1);
        assertThat(unknownNames("test", "requests | where name == \"GET /health/dead\"")).hasSize(1);
        assertThat(unknownNames("test", "customEvents | where name == \"agent.created\" | summarize by tostring(customDimensions.channel)")).isEmpty();
    }

    private static List<String> unknownNames(String where, String query) {
        Set<String> tables = new TreeSet<>();
        TABLE.matcher(query).results().forEach(r -> tables.add(r.group(1)));
        Set<String> names = new TreeSet<>();
        NAME_EQUALS.matcher(query).results().forEach(r -> names.add(r.group(1)));
        NAME_IN.matcher(query).results().forEach(r -> QUOTED.matcher(r.group(1)).results().forEach(q -> names.add(q.group(1))));

        List<String> problems = new ArrayList<>();
        Set<String> dimensionsOfNamed = new TreeSet<>();
        for (String name : names) {
            boolean known = false;
            if (tables.contains("customEvents") && emitted.events().containsKey(name)) {
                known = true;
                dimensionsOfNamed.addAll(emitted.events().get(name));
            }
            if (tables.contains("customMetrics") && emitted.meters().containsKey(name)) {
                known = true;
                dimensionsOfNamed.addAll(emitted.meters().get(name));
            }
            if (tables.contains("requests") && emitted.routes().contains(name)) {
                known = true;
            }
            if (!known && !tables.contains("dependencies") && !tables.contains("exceptions") && !tables.contains("traces")) {
                problems.add(where + ": " + tables + " name \"" + name + "\" is never emitted");
            }
        }
        Matcher d = DIMENSION.matcher(query);
        while (d.find()) {
            String dimension = d.group(1) != null ? d.group(1) : d.group(2);
            Set<String> allowed = names.isEmpty() ? allDimensions() : dimensionsOfNamed;
            if (!allowed.contains(dimension)) {
                problems.add(where + ": customDimensions." + dimension + " is not sent with " + (names.isEmpty() ? "any event or metric" : names));
            }
        }
        return problems;
    }

    private static Set<String> allDimensions() {
        Set<String> all = new TreeSet<>();
        emitted.events().values().forEach(all::addAll);
        emitted.meters().values().forEach(all::addAll);
        return all;
    }

    /** Every query in deploy/azure: the workbook's items, queries/*.kql and alerts/*.kql. */
    private static Map<String, String> allQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode workbook = JsonMapper.builder().build().readTree(AZURE.resolve("workbook.json").toFile());
        collectQueries(workbook, "workbook.json", queries);
        try (Stream<Path> files = Files.walk(AZURE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".kql")).sorted().toList()) {
                queries.put(AZURE.relativize(file).toString(), Files.readString(file));
            }
        }
        return queries;
    }

    private static void collectQueries(JsonNode node, String path, Map<String, String> queries) {
        if (node.isObject()) {
            JsonNode query = node.get("query");
            if (query != null && query.isString()) {
                String name = node.has("title") ? node.get("title").asString() : path;
                queries.put("workbook.json: " + name, query.asString());
            }
            node.properties().forEach(e -> collectQueries(e.getValue(), path + "." + e.getKey(), queries));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectQueries(node.get(i), path + "[" + i + "]", queries);
            }
        }
    }
}
