package dev.agentapi.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original service's health JSON, for clients written against it, rendered from the Actuator health
 * indicators each role contributes: each seed component is one indicator's status (in the seed's words)
 * followed by its details (for an admin caller only: the public report carries status words); ready is the Actuator
 * {@code readiness} group. Kubernetes uses
 * {@code /health/live} and {@code /health/ready} instead.
 */
@RestController
@RequestMapping("/api/agents/health")
@Tag(name = "Health", description = "Health reports in the seed's shape")
public class SeedHealthController {

    /** Seed component name → Actuator health contributor name. */
    static final Map<String, String> COMPONENTS = seedComponents();
    private static final String SERVICE = "agent-api";
    /** The admin role's authority, as the security configuration grants it (this package depends on no other of ours). */
    private static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    private final HealthContributorRegistry registry;
    private final HealthEndpoint health;

    public SeedHealthController(HealthContributorRegistry registry, HealthEndpoint health) {
        this.registry = registry;
        this.health = health;
    }

    private static Map<String, String> seedComponents() {
        Map<String, String> components = new LinkedHashMap<>();
        components.put("database", "database");
        components.put("redis", "redis");
        components.put("taskade_api", "taskade");
        components.put("application_insights", "applicationInsights");
        components.put("memory_state", "memory");
        // not one of the seed's components: browser places here and on remote endpoints, each endpoint's state
        components.put("browsers", "browsers");
        components.put("replica", "replica");
        return components;
    }

    @GetMapping
    @Operation(operationId = "getHealth", summary = "The process is up")
    @ApiResponse(responseCode = "200", description = "Up", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.Seed.class)))
    public Map<String, Object> health() {
        return envelope("healthy");
    }

    /** The seed's liveness answer: the process runs; asks nothing else. */
    @GetMapping("/live")
    @Operation(operationId = "getHealthLive", summary = "The process is alive (seed shape); never asks the database or Redis")
    @ApiResponse(responseCode = "200", description = "Alive", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.Seed.class)))
    public Map<String, Object> live() {
        return envelope("alive");
    }

    @GetMapping("/ready")
    @Operation(operationId = "getHealthReady", summary = "Ready for traffic (the database answers); every component reported")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.SeedReadiness.class)))
    @ApiResponse(responseCode = "503", description = "Not ready: the database does not answer, or the service is shutting down", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.SeedReadiness.class)))
    public ResponseEntity<Map<String, Object>> ready() {
        boolean details = callerIsAdmin();
        Map<String, Object> report = new LinkedHashMap<>();
        COMPONENTS.forEach((seedName, contributor) -> report.put(seedName, component(contributor, details)));
        boolean ready = Status.UP.equals(health.healthForPath("readiness").getStatus());
        Map<String, Object> body = envelope(ready ? "ready" : "not_ready");
        body.put("components", report);
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    /**
     * Details (error texts that can name hosts and endpoints, replica ids and addresses) only for an admin caller;
     * the public report is each component's status word.
     */
    private static boolean callerIsAdmin() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.isAuthenticated()
                && caller.getAuthorities().stream().anyMatch(a -> ADMIN_AUTHORITY.equals(a.getAuthority()));
    }

    private Map<String, Object> component(String name, boolean withDetails) {
        Map<String, Object> component = new LinkedHashMap<>();
        HealthContributor contributor = registry.getContributor(name);
        if (!(contributor instanceof HealthIndicator indicator)) {
            component.put("status", "not_configured");
            return component;
        }
        Health health = indicator.health(true);
        component.put("status", seedStatus(health.getStatus()));
        if (withDetails) {
            component.putAll(health.getDetails());
        }
        return component;
    }

    /** The seed's words: healthy, unhealthy, not_configured (Actuator's UNKNOWN), or warning. */
    static String seedStatus(Status status) {
        return switch (status.getCode()) {
            case "UP" -> "healthy";
            case "UNKNOWN" -> "not_configured";
            case "DOWN", "OUT_OF_SERVICE" -> "unhealthy";
            default -> status.getCode().toLowerCase();
        };
    }

    private static Map<String, Object> envelope(String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("service", SERVICE);
        body.put("timestamp", Instant.now().toString());
        return body;
    }
}
