package dev.agentapi.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.ServletRequestPathUtils;
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

    /**
     * A request whose path within the application matches any of {@code patterns}: what
     * {@code requestMatchers(String...)} gives (one {@code PathPatternRequestMatcher} per pattern, any method),
     * as one matcher that reads the request's path once. For an API request every rule is tried and none
     * matches, and each of those matchers read the path attribute through the request wrappers, cut it to the
     * path within the application anew and extracted variables nothing uses: 4 % of a {@code GET}'s samples.
     */
    static RequestMatcher matcher(List<String> patterns) {
        List<PathPattern> parsed = parse(patterns);
        return request -> matchesAny(parsed, pathWithinApplication(request));
    }

    private static PathContainer pathWithinApplication(HttpServletRequest request) {
        if (ServletRequestPathUtils.hasParsedRequestPath(request)) {
            return ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
        }
        // as Spring Security's matcher does: parse, and leave nothing behind on the request
        PathContainer path = ServletRequestPathUtils.parseAndCache(request).pathWithinApplication();
        ServletRequestPathUtils.clearParsedRequestPath(request);
        return path;
    }

    private static boolean matchesAny(List<PathPattern> patterns, String path) {
        return matchesAny(patterns, PathContainer.parsePath(path));
    }

    private static boolean matchesAny(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> parse(List<String> patterns) {
        return patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }
}
