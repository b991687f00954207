package dev.agentapi.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Spring MVC's handler mapping, with each mapping's path tried before its other conditions. A path with a
 * variable in it ({@code /api/agents/browser/{agentId}}) has no direct lookup, so MVC tries every mapping
 * of the application on it, and {@link RequestMappingInfo#getMatchingCondition} checks the method, params,
 * headers, consumes, produces (parsing {@code Accept} against each mapping's media types) and version before
 * the path. Here a mapping whose path cannot match is passed over at once. The outcome is the same: a
 * mapping matches only when every condition does, and each condition reads the request alone; the mappings
 * that do match are checked in full, and 405/406/415 answers are worked out from all mappings as before.
 * In a JFR profile of {@code GET} one agent the condition checks were about a tenth of the samples.
 */
class PathFirstHandlerMapping extends RequestMappingHandlerMapping {

    @Override
    protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
        PathPatternsRequestCondition paths = info.getPathPatternsCondition();
        if (paths != null && paths.getMatchingCondition(request) == null) {
            return null;
        }
        return super.getMatchingMapping(info, request);
    }
}
