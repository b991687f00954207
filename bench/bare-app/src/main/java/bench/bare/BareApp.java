package bench.bare;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The baseline: what Spring Boot costs per request with nothing of ours on the path. */
@SpringBootApplication
@RestController
public class BareApp {

    /** The agent's shape, as the service's GET /api/agents/browser/{id} answers it (Serializable: -Pstack caches it in Redis). */
    public record Agent(String agentId, String status, String statusReason, String channel, String effectiveChannel,
                        boolean headless, Map<String, Object> config, Viewport viewport, String userAgent,
                        String createdBy, Instant createdAt, Instant updatedAt, long totalActions, long totalErrors,
                        Instant lastActionAt, long version) implements Serializable {
    }

    public record Viewport(int width, int height) implements Serializable {
    }

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    @GetMapping("/api/agents/{id}")
    Agent agent(@PathVariable String id) {
        return new Agent(id, "created", null, "chromium", null, true, Map.of(), new Viewport(1280, 720), null,
                "bench", CREATED, CREATED, 0, 0, null, 1);
    }

    public static void main(String[] args) {
        SpringApplication.run(BareApp.class, args);
    }
}
