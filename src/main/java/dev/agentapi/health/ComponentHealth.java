package dev.agentapi.health;

import java.util.Map;

/**
 * One named component of the seed-compatible readiness report ({@code database}, {@code redis},
 * {@code taskade_api}, ...). Features contribute their own by declaring a bean. The map carries
 * at least {@code status}: {@code healthy}, {@code unhealthy} or {@code not_configured}.
 */
public interface ComponentHealth {

    String HEALTHY = "healthy";
    String UNHEALTHY = "unhealthy";
    String NOT_CONFIGURED = "not_configured";

    String name();

    Map<String, Object> check();
}
