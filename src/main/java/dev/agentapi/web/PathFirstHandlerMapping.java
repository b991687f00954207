package dev.agentapi.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
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
 * A pattern is matched against the path only when the path's text begins with the pattern's literal
 * beginning (its text before the first variable or wildcard), which a match needs whenever the path has no
 * percent-encoded character or path parameter (those are decoded or removed before matching, so such a
 * path gets the full match every time). Most mappings of a lookup are passed over by that comparison
 * alone; matching each of them was two thirds of the lookup's samples. Before the path, a mapping that
 * declares methods other than the request's is passed over too (HEAD and OPTIONS excepted, see
 * {@link MappingTest}): {@code GET /api/agents/browser/a1} otherwise matched the patterns of the same path's
 * PATCH and DELETE routes as well.
 */
class PathFirstHandlerMapping extends RequestMappingHandlerMapping {

    /** The method and path within the application of the request being looked up on this thread, if parsed. */
    private static final ThreadLocal<Lookup> LOOKUP = new ThreadLocal<>();

    /** Each mapping's methods and path patterns with their literal parts, worked out once (not per request). */
    private final Map<RequestMappingInfo, MappingTest> mappingTests = new ConcurrentHashMap<>();

    private record Lookup(String method, PathContainer path) {
    }

    @Override
    protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
        if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        LOOKUP.set(new Lookup(request.getMethod(), ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()));
        try {
            return super.lookupHandlerMethod(lookupPath, request);
        } finally {
            LOOKUP.remove();
        }
    }

    @Override
    protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
        Lookup lookup = LOOKUP.get();
        if (lookup != null) {
            return getMatchingMapping(info, request, lookup.method(), lookup.path());
        }
        // a request whose path was never parsed gets Spring's own check, its path condition included
        return ServletRequestPathUtils.hasParsedRequestPath(request)
                ? getMatchingMapping(info, request, request.getMethod(),
                        ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication())
                : super.getMatchingMapping(info, request);
    }

    /** The mapping's match for a request with this method and path within the application. */
    RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request, String method,
                                          PathContainer path) {
        MappingTest test = mappingTests.get(info);
        if (test == null) {
            test = mappingTests.computeIfAbsent(info, PathFirstHandlerMapping::mappingTest);
        }
        if (!test.mayAllow(method)) {
            return null;
        }
        // no path tests: the mapping has no path condition
        if (test.paths().length > 0 && !anyMatches(test.paths(), path)) {
            return null;
        }
        return super.getMatchingMapping(info, request);
    }

    /**
     * A mapping's declared methods (by name; empty: any) and path tests. A request method the mapping does not
     * declare rules it out, as Spring's method condition does, except HEAD (which a GET mapping serves) and
     * OPTIONS (CORS preflights and Spring's default answer): those two go to Spring's check in full.
     */
    private record MappingTest(Set<String> methods, PathTest[] paths) {
        boolean mayAllow(String method) {
            return methods.isEmpty() || methods.contains(method) || method.equals("HEAD") || method.equals("OPTIONS");
        }
    }

    /** A path pattern and its text before the first variable or wildcard; null where that cannot be judged. */
    private record PathTest(PathPattern pattern, String literalPart) {
    }

    private static MappingTest mappingTest(RequestMappingInfo info) {
        Set<String> methods = info.getMethodsCondition().getMethods().stream().map(RequestMethod::name)
                .collect(Collectors.toUnmodifiableSet());
        PathPatternsRequestCondition paths = info.getPathPatternsCondition();
        return new MappingTest(methods, paths == null ? new PathTest[0] : paths.getPatterns().stream()
                .map(p -> new PathTest(p, literalPart(p.getPatternString()))).toArray(PathTest[]::new));
    }

    private static boolean anyMatches(PathTest[] tests, PathContainer path) {
        String text = path.value();
        boolean literal = text.indexOf('%') < 0 && text.indexOf(';') < 0;
        for (PathTest test : tests) {
            if ((!literal || test.literalPart() == null || text.startsWith(test.literalPart()))
                    && test.pattern().matches(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code pattern}'s text up to its first variable or wildcard (an opening brace, an asterisk or a question
     * mark), which the text of any path it matches begins with; null when that part holds a percent sign,
     * which the comparison cannot judge.
     */
    static String literalPart(String pattern) {
        int end = 0;
        while (end < pattern.length()) {
            char c = pattern.charAt(end);
            if (c == '{' || c == '*' || c == '?') {
                break;
            }
            if (c == '%') {
                return null;
            }
            end++;
        }
        return pattern.substring(0, end);
    }
}
