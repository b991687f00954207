package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Trying a mapping's path first changes which mappings match in no case: every mapping of the application,
 * against requests to its routes with each method, {@code Accept} and {@code Content-Type}, gives what
 * Spring's own {@link RequestMappingInfo#getMatchingCondition} gives.
 */
@IntegrationTest
class PathFirstHandlerMappingTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void theApplicationRoutesThroughIt() {
        assertThat(mapping).isInstanceOf(PathFirstHandlerMapping.class);
    }

    @Test
    void everyMappingMatchesExactlyWhatSpringsOwnCheckMatches() {
        PathFirstHandlerMapping pathFirst = (PathFirstHandlerMapping) mapping;
        Map<RequestMappingInfo, ?> mappings = mapping.getHandlerMethods();
        List<String> paths = List.of("/api/agents/browser", "/api/agents/browser/a1", "/api/agents/browser/a1/actions",
                "/api/agents/browser/a1/screenshot", "/api/agents/browser/health", "/api/agents/browser/health/ready",
                "/api/agents/mcp/tasks", "/api/agents/mcp/tasks/t1", "/api/audit", "/health/live", "/health/ready",
                "/api/agents/taskade/projects", "/nowhere", "/api/agents/browser/a1/nothing",
                // encoded characters and path parameters are decoded or dropped before matching; case and a
                // trailing slash are not
                "/api/%61gents/browser/a1", "/api/agents/browser;v=1/a1", "/api/agents%2Fbrowser/a1",
                "/API/agents/browser/a1", "/api/agents/browser/", "/api/agentsx/browser", "/health/liv");
        List<String> methods = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "get");
        List<String> accepts = List.of("*/*", "application/json", "image/png", "text/html", "application/pdf");
        List<String> contentTypes = List.of("", "application/json", "text/plain");
        List<String> differences = new ArrayList<>();
        int matched = 0;
        int checked = 0;
        for (String path : paths) {
            for (String method : methods) {
                for (String accept : accepts) {
                    for (String contentType : contentTypes) {
                        for (RequestMappingInfo info : mappings.keySet()) {
                            MockHttpServletRequest expected = request(method, path, accept, contentType);
                            MockHttpServletRequest actual = request(method, path, accept, contentType);
                            RequestMappingInfo spring = info.getMatchingCondition(expected);
                            RequestMappingInfo ours = pathFirst.getMatchingMapping(info, actual);
                            MockHttpServletRequest inLookup = request(method, path, accept, contentType);
                            RequestMappingInfo oursInLookup = pathFirst.getMatchingMapping(info, inLookup, method,
                                    ServletRequestPathUtils.getParsedRequestPath(inLookup).pathWithinApplication());
                            checked++;
                            if (spring != null) {
                                matched++;
                            }
                            if (!java.util.Objects.equals(spring, ours) || !java.util.Objects.equals(spring, oursInLookup)) {
                                differences.add(method + " " + path + " Accept " + accept + " Content-Type " + contentType
                                        + " on " + info + ": " + spring + " / " + ours + " / " + oursInLookup);
                            }
                        }
                    }
                }
            }
        }
        assertThat(differences).as("mappings that match differently").isEmpty();
        // the cases must exercise both outcomes for the comparison to mean anything
        assertThat(matched).as("matches out of " + checked).isGreaterThan(100).isLessThan(checked / 10);
    }

    @Test
    void aLookupFindsTheHandlerOfTheRouteAndLeavesNoPathBehind() throws Exception {
        assertThat(handler("GET", "/api/agents/browser")).isEqualTo("list");
        assertThat(handler("PATCH", "/api/agents/browser/a1")).isEqualTo("update");
        assertThat(handler("POST", "/api/agents/browser/a1/actions")).isEqualTo("act");
        assertThat(handler("GET", "/api/agents/browser/a1")).isEqualTo("get");
        // the same route, its path written with an encoded letter or a path parameter
        assertThat(handler("GET", "/api/%61gents/browser/a1")).isEqualTo("get");
        assertThat(handler("GET", "/api/agents/browser;v=1/a1")).isEqualTo("get");
        // a request outside any lookup is judged on its own path, not the one the last lookup had
        RequestMappingInfo agentRoute = mapping.getHandlerMethods().entrySet().stream()
                .filter(e -> e.getValue().getMethod().getName().equals("get")
                        && e.getValue().getBeanType().getSimpleName().equals("AgentController"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(((PathFirstHandlerMapping) mapping).getMatchingMapping(agentRoute, request("GET", "/nowhere", "*/*", "")))
                .isNull();
    }

    @Test
    void theLiteralPartOfAPatternEndsAtItsFirstVariableOrWildcard() {
        assertThat(PathFirstHandlerMapping.literalPart("/api/agents/browser/{agentId}")).isEqualTo("/api/agents/browser/");
        assertThat(PathFirstHandlerMapping.literalPart("/api/agents")).isEqualTo("/api/agents");
        assertThat(PathFirstHandlerMapping.literalPart("/swagger-ui/**")).isEqualTo("/swagger-ui/");
        assertThat(PathFirstHandlerMapping.literalPart("/files/a?.txt")).isEqualTo("/files/a");
        assertThat(PathFirstHandlerMapping.literalPart("/{*rest}")).isEqualTo("/");
        assertThat(PathFirstHandlerMapping.literalPart("/a%20b/{id}")).isNull();
    }

    private String handler(String method, String path) throws Exception {
        MockHttpServletRequest request = request(method, path, "application/json", method.equals("GET") ? "" : "application/json");
        var chain = mapping.getHandler(request);
        assertThat(chain).as(method + " " + path).isNotNull();
        return ((org.springframework.web.method.HandlerMethod) chain.getHandler()).getMethod().getName();
    }

    private static MockHttpServletRequest request(String method, String path, String accept, String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.addHeader("Accept", accept);
        if (!contentType.isEmpty()) {
            request.setContentType(contentType);
            request.addHeader("Content-Type", contentType);
        }
        ServletRequestPathUtils.parseAndCache(request);
        return request;
    }
}
