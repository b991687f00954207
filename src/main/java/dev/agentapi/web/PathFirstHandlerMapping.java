package dev.agentapi.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's handler mapping, with each mapping's path tried before its other conditions. A path with a
 * variable in it ({@code /api/agents/browser/{agentId}}) has no direct lookup, so MVC tries every mapping
 * of the application on it, and {@link RequestMappingInfo#getMatchingCondition} checks the method, params,
 * headers, consumes, produces (parsing {@code Accept} against each mapping's media types) and version before
 * the path. Here a mapping whose path cannot match is passed over at once. The outcome is the same: a
 * mapping matches only when every condition does, and each condition reads the request alone; the mappings
 * that do match are checked in full, and 405/406/415 answers are worked out from all mappings as before.
 * In a JFR profile of {@code GET} one agent the condition checks were about a tenth of the samples.
 * <p>
 * During a lookup the request's parsed path is read once, not once per mapping: it is a request attribute,
 * and every read went down the request wrappers (the security firewall's and others) to Tomcat's maps.
 */
class PathFirstHandlerMapping extends RequestMappingHandlerMapping {

    /** The path within the application of the request being looked up on this thread, if parsed. */
    private static final ThreadLocal<PathContainer> LOOKUP_PATH = new ThreadLocal<>();

    @Override
    protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
        if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        LOOKUP_PATH.set(ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication());
        try {
            return super.lookupHandlerMethod(lookupPath, request);
        } finally {
            LOOKUP_PATH.remove();
        }
    }

    @Override
    protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
        PathContainer path = LOOKUP_PATH.get();
        if (path == null && ServletRequestPathUtils.hasParsedRequestPath(request)) {
            path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
        }
        // a request whose path was never parsed gets Spring's own check, its path condition included
        return path != null ? getMatchingMapping(info, request, path) : super.getMatchingMapping(info, request);
    }

    /** The mapping's match for a request whose path within the application is {@code path}. */
    RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request, PathContainer path) {
        PathPatternsRequestCondition paths = info.getPathPatternsCondition();
        if (paths != null && !anyMatches(paths, path)) {
            return null;
        }
        return super.getMatchingMapping(info, request);
    }

    private static boolean anyMatches(PathPatternsRequestCondition paths, PathContainer path) {
        for (PathPattern pattern : paths.getPatterns()) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
