package dev.agentapi.security;

import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which paths answer without credentials and which need the admin role: the one list the filter
 * chain enforces and the API documentation describes.
 */
public final class AccessRules {

    /**
     * Probes, seed health, API docs, the Prometheus scrape (served only on the management port, MANAGEMENT_PORT),
     * and the OAuth protected-resource metadata (answered when an identity provider is configured).
     */
    public static final List<String> PUBLIC = List.of(
            "/health/**", "/api/agents/health", "/api/agents/health/**",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
            "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/error",
            "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/**");

    /**
     * Routes other replicas call, each request signed with the replicas' shared secret instead of a
     * caller's credentials; the routes check the signature themselves (agent/ReplicaAgentController).
     */
    public static final List<String> REPLICA_SIGNED = List.of("/internal/replica/**");

    /** The audit trail and the rest of Actuator. */
    public static final List<String> ADMIN_ONLY = List.of("/api/audit", "/api/audit/**", "/actuator/**");

    private static final List<PathPattern> PUBLIC_PATTERNS = parse(PUBLIC);
    private static final List<PathPattern> ADMIN_PATTERNS = parse(ADMIN_ONLY);

    private AccessRules() {
    }

    public static boolean isPublic(String path) {
        return matchesAny(PUBLIC_PATTERNS, path);
    }

    /** Needs the admin role (and is not public: public rules come first in the filter chain). */
    public static boolean isAdminOnly(String path) {
        return !isPublic(path) && matchesAny(ADMIN_PATTERNS, path);
    }

    private static boolean matchesAny(List<PathPattern> patterns, String path) {
        PathContainer container = PathContainer.parsePath(path);
        return patterns.stream().anyMatch(p -> p.matches(container));
    }

    private static List<PathPattern> parse(List<String> patterns) {
        return patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }
}
