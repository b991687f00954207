package dev.agentapi.task;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench.noop}, registered only when {@code agent-api.tasks.bench-handlers=true}
 * ({@code bench/queue-bench.sh}): does nothing, so the benchmark measures the queue itself.
 */
@Component
@ConditionalOnProperty(name = "agent-api.tasks.bench-handlers", havingValue = "true")
class NoopTaskHandler implements TaskHandler {

    private final JsonMapper json;

    NoopTaskHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String type() {
        return "bench.noop";
    }

    @Override
    public Map<String, String> validate(JsonNode payload) {
        return Map.of();
    }

    @Override
    public JsonNode run(TaskRun run) {
        return json.createObjectNode();
    }
}
