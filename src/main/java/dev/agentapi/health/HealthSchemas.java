package dev.agentapi.health;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * What the health routes answer, for the API document: the controllers build these answers as maps (the
 * seed's shape, Actuator's descriptors), and these records say what those maps hold.
 */
final class HealthSchemas {

    private HealthSchemas() {
    }

    @Schema(name = "SeedHealth", description = "The seed's health envelope")
    record Seed(@Schema(allowableValues = {"healthy", "alive"}) String status, String service, Instant timestamp) {
    }

    @Schema(name = "SeedReadiness", description = "The seed's readiness report: every component, ready or not")
    record SeedReadiness(@Schema(allowableValues = {"ready", "not_ready"}) String status, String service, Instant timestamp,
                         @Schema(description = "database, redis, taskade_api, application_insights, memory_state, browsers, replica")
                         Map<String, Component> components) {
    }

    @Schema(name = "SeedHealthComponent", description = "A component's status in the seed's words, then its details",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record Component(@Schema(description = "healthy, unhealthy, not_configured or warning") String status) {
    }

    @Schema(name = "ProbeHealth", description = "An Actuator health group: its status and, per component, the component's status (details: the management port's /actuator/health)")
    record Probe(@Schema(allowableValues = {"UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN"}) String status,
                 @Schema(description = "Component name to its status ({\"status\": \"UP\"})") Map<String, Object> components) {
    }
}
