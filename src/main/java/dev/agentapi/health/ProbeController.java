package dev.agentapi.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Kubernetes probes on the main port: {@code /health/live} and {@code /health/ready} answer the
 * Actuator health groups {@code liveness} (the process, never a remote service) and
 * {@code readiness} (readiness state and the database).
 * <p>
 * Hand-written because the platform's way does not fit these paths: a health group's
 * {@code additional-path} ({@code management.endpoint.health.group.*.additional-path=server:/...}) must
 * be a single path segment (Boot refuses {@code /health/live} at start-up: "'value' must contain only one
 * segment"), and the probe paths are the seed's, which Kubernetes manifests and clients already use. It
 * answers the status Actuator's group would (the same {@link HealthEndpoint}, the same status mapping), with status
 * words only (details stay on the management port), and
 * unlike an additional path it is part of the main port's OpenAPI document.
 */
@RestController
@RequestMapping("/health")
@Tag(name = "Probes", description = "Kubernetes liveness and readiness probes")
public class ProbeController {

    private final HealthEndpoint health;

    public ProbeController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping("/live")
    @Operation(operationId = "probeLiveness", summary = "Liveness: the process is up and not wedged; never depends on the database or Redis")
    @ApiResponse(responseCode = "200", description = "Alive", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.Probe.class)))
    @ApiResponse(responseCode = "503", description = "Not alive", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.Probe.class)))
    public ResponseEntity<HealthSchemas.Probe> live() {
        return group("liveness");
    }

    @GetMapping("/ready")
    @Operation(operationId = "probeReadiness", summary = "Readiness: the database answers and the service accepts traffic")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.Probe.class)))
    @ApiResponse(responseCode = "503", description = "Not ready (database unreachable, or shutting down)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HealthSchemas.Probe.class)))
    public ResponseEntity<HealthSchemas.Probe> ready() {
        return group("readiness");
    }

    /**
     * The group's status and each component's status word, nothing more: the probes are public (the Service serves
     * them), and a component's details (a replica's id and pod address, an error) are the management port's to show.
     */
    private ResponseEntity<HealthSchemas.Probe> group(String name) {
        HealthDescriptor descriptor = health.healthForPath(name);
        Map<String, Object> components = new LinkedHashMap<>();
        if (descriptor instanceof CompositeHealthDescriptor composite && composite.getComponents() != null) {
            composite.getComponents().forEach((component, health) -> components.put(component, Map.of("status", health.getStatus().getCode())));
        }
        return ResponseEntity.status(HttpCodeStatusMapper.DEFAULT.getStatusCode(descriptor.getStatus()))
                .body(new HealthSchemas.Probe(descriptor.getStatus().getCode(), components));
    }
}
