package dev.agentapi.replica;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Each port serves its own routes: the replica routes ({@link ReplicaSignature#PATH_PREFIX}) only on the
 * {@link ReplicaPort}, everything else only on the main port. A request on the wrong port answers 404, as a route
 * that does not exist would, before anything else (security, rate limits, the body) looks at it. The path is the
 * decoded, normalized one the routes are matched on, so no spelling of it ({@code %69nternal}, {@code //}) slips past.
 */
class ReplicaPortFilter extends OncePerRequestFilter {

    private final ReplicaPort port;

    ReplicaPortFilter(ReplicaPort port) {
        this.port = port;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (port.received(request) != isReplicaRoute(request)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isReplicaRoute(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String prefix = ReplicaSignature.PATH_PREFIX;
        return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
    }
}
