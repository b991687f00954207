package dev.agentapi.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original service's health JSON, for clients written against it. Kubernetes uses
 * {@code /health/live} and {@code /health/ready} (Actuator health groups) instead.
 */
@RestController
@RequestMapping("/api/agents/health")
@Tag(name = "Health", description = "Seed-compatible health reports")
public class SeedHealthController {

    static final List<String> COMPONENTS = List.of("database", "redis", "taskade_api", "application_insights", "memory_state");
    private static final String SERVICE = "agent-api";

    private final Map<String, ComponentHealth> components = new LinkedHashMap<>();
    private final DatabaseHealth database;
    private final ApplicationAvailability availability;

    public SeedHealthController(List<ComponentHealth> contributed, DatabaseHealth database, ApplicationAvailability availability) {
        contributed.forEach(c -> components.put(c.name(), c));
        this.database = database;
        this.availability = availability;
    }

    @GetMapping
    @Operation(summary = "The process is up")
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "healthy");
        body.put("service", SERVICE);
        body.put("timestamp", Instant.now().toString());
        return body;
    }

    /** The seed's liveness answer: the process runs; asks nothing else. */
    @GetMapping("/live")
    @Operation(summary = "The process is alive (seed shape); never asks the database or Redis")
    @ApiResponse(responseCode = "200", description = "Alive")
    public Map<String, Object> live() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "alive");
        body.put("service", SERVICE);
        body.put("timestamp", Instant.now().toString());
        return body;
    }

    @GetMapping("/ready")
    @Operation(summary = "Ready for traffic (the database answers); every component reported")
    @ApiResponse(responseCode = "200", description = "Ready")
    @ApiResponse(responseCode = "503", description = "Not ready: the database does not answer, or the service is shutting down")
    public ResponseEntity<Map<String, Object>> ready() {
        Map<String, Object> report = new LinkedHashMap<>();
        for (String name : COMPONENTS) {
            ComponentHealth component = components.get(name);
            report.put(name, component == null ? Map.of("status", ComponentHealth.NOT_CONFIGURED) : component.check());
        }
        boolean ready = database.isUp() && availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not_ready");
        body.put("service", SERVICE);
        body.put("timestamp", Instant.now().toString());
        body.put("components", report);
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
