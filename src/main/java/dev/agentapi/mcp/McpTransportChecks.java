package dev.agentapi.mcp;

import dev.agentapi.security.AccessRefused;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.web.ProblemWriter;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.spec.HttpHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What the MCP Streamable HTTP transport asks a server to check before anything else, ahead of
 * authentication (so a page on another origin is told 403 whether or not it holds a credential):
 * <ul>
 * <li>{@code Origin}, against the allow list, by the SDK's own validator: a page served from another origin
 * (DNS rebinding among the ways there) gets 403, audited as an {@link AccessRefused};</li>
 * <li>{@code MCP-Protocol-Version}, when sent, must be one this server speaks (400 otherwise; without it the
 * transport's rule is to assume 2025-03-26).</li>
 * </ul>
 */
final class McpTransportChecks extends OncePerRequestFilter {

    private final DefaultServerTransportSecurityValidator origins;
    private final List<String> protocolVersions;
    private final ProblemWriter problems;
    private final CurrentActor actors;
    private final ApplicationEventPublisher events;

    McpTransportChecks(List<String> allowedOrigins, List<String> protocolVersions, ProblemWriter problems, CurrentActor actors,
                       ApplicationEventPublisher events) {
        this.origins = DefaultServerTransportSecurityValidator.builder().allowedOrigins(allowedOrigins).build();
        this.protocolVersions = List.copyOf(protocolVersions);
        this.problems = problems;
        this.actors = actors;
        this.events = events;
    }

    /** {@code configured} and the origin of {@code publicBaseUrl} (null when unset). */
    static List<String> allowedOrigins(List<String> configured, URI publicBaseUrl) {
        List<String> origins = new java.util.ArrayList<>(configured.stream().map(String::strip).filter(o -> !o.isEmpty()).toList());
        if (publicBaseUrl != null) {
            origins.add(publicBaseUrl.getScheme() + "://" + publicBaseUrl.getRawAuthority());
        }
        return origins;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            origins.validate(new HeaderAccessor() {
                @Override
                public List<String> getHeader(String name) {
                    return Collections.list(request.getHeaders(name));
                }

                @Override
                public List<String> getHeaderNames() {
                    return Collections.list(request.getHeaderNames());
                }
            });
        } catch (ServerTransportSecurityException refused) {
            events.publishEvent(new AccessRefused(403, request.getMethod(), request.getRequestURI(), "origin not allowed",
                    actors.get()));
            refuse(response, HttpStatus.FORBIDDEN, "Forbidden", "This Origin may not call /mcp (the allowed origins are "
                    + "set with MCP_ALLOWED_ORIGINS)");
            return;
        }
        String version = request.getHeader(HttpHeaders.PROTOCOL_VERSION);
        if (version != null && !protocolVersions.contains(version.strip())) {
            refuse(response, HttpStatus.BAD_REQUEST, "Unsupported protocol version", "MCP-Protocol-Version must be one of "
                    + String.join(", ", protocolVersions));
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String title, String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:agent-api:problem:mcp"));
        problem.setTitle(title);
        problems.write(response, problem);
    }
}
