package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The access rules' matchers match exactly the requests Spring Security's own path matchers match, one per
 * pattern, as {@code requestMatchers(String...)} builds them: with and without a context path, with the
 * request's path parsed beforehand or not (and then leave no parsed path behind).
 */
class AccessRulesMatcherTest {

    static final List<String> PATHS = List.of("/", "/health", "/health/live", "/health/ready/x", "/api/agents/health",
            "/api/agents/health/ready", "/api/agents/healthy", "/api/agents/browser/a1", "/api/agents/browser",
            "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html", "/swagger-ui/index.html",
            "/actuator/health", "/actuator/health/liveness", "/actuator/prometheus", "/actuator/metrics", "/actuator",
            "/error", "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp",
            "/internal/replica/agents/a1", "/internal/replica", "/internal/replicas", "/api/audit", "/api/audit/",
            "/api/audit/x", "/api/auditx", "/API/audit", "/api/%61udit", "/api/audit;v=1", "/health;x=1/live",
            "/console/index.html", "/mcp");

    @Test
    void eachRuleMatchesWhatSpringSecuritysPathMatchersMatch() {
        List<String> differences = new ArrayList<>();
        int matched = 0;
        int checked = 0;
        for (List<String> rule : List.of(AccessRules.PUBLIC, AccessRules.REPLICA_SIGNED, AccessRules.ADMIN_ONLY)) {
            RequestMatcher ours = AccessRules.matcher(rule);
            RequestMatcher spring = new OrRequestMatcher(rule.stream()
                    .map(p -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(p)).toList());
            for (String contextPath : List.of("", "/ctx")) {
                for (String path : PATHS) {
                    for (boolean parsed : List.of(true, false)) {
                        MockHttpServletRequest a = request(contextPath, path, parsed);
                        MockHttpServletRequest b = request(contextPath, path, parsed);
                        boolean expected = spring.matches(a);
                        boolean actual = ours.matches(b);
                        checked++;
                        if (expected) {
                            matched++;
                        }
                        if (expected != actual) {
                            differences.add(rule + " " + contextPath + path + (parsed ? " (parsed)" : "")
                                    + ": Spring " + expected + ", ours " + actual);
                        }
                        assertThat(ServletRequestPathUtils.hasParsedRequestPath(b)).as(path).isEqualTo(parsed);
                    }
                }
            }
        }
        assertThat(differences).isEmpty();
        assertThat(matched).as("matches out of " + checked).isGreaterThan(40).isLessThan(checked / 2);
    }

    private static MockHttpServletRequest request(String contextPath, String path, boolean parsed) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", contextPath + path);
        request.setContextPath(contextPath);
        if (parsed) {
            ServletRequestPathUtils.parseAndCache(request);
        }
        return request;
    }
}
