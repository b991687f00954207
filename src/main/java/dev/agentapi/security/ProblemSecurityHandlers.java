package dev.agentapi.security;

import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem+json; 401 carries {@code WWW-Authenticate} naming both ways in. A request
 * refused here still spends from a rate-limit bucket (its client address's, or its principal's when
 * forbidden), so refusals are limited like any other traffic (429 when the bucket is empty), and is
 * published as an {@link AccessRefused} (the audit trail records it).
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ProblemWriter problems;
    private final RateLimitFilter rateLimit;
    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    /** With JWTs on, {@code PUBLIC_BASE_URL}; null when only API keys are taken. */
    private final URI publicBase;

    private final CurrentActor actors;
    private final ApplicationEventPublisher events;

    ProblemSecurityHandlers(ProblemWriter problems, RateLimitFilter rateLimit, URI publicBase, CurrentActor actors,
                            ApplicationEventPublisher events) {
        this.problems = problems;
        this.rateLimit = rateLimit;
        this.publicBase = publicBase;
        this.actors = actors;
        this.events = events;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (!rateLimit.admitRefused(request, response)) {
            return;
        }
        events.publishEvent(new AccessRefused(401, request.getMethod(), request.getRequestURI(), "no valid credentials",
                actors.get()));
        if (publicBase != null) {
            // WWW-Authenticate: Bearer (with error="invalid_token" details for a bad JWT) and resource_metadata, which
            // Spring builds from the request's address: it is given the configured public one instead of the Host sent
            bearer.commence(new AtPublicAddress(request, publicBase), response, failure);
        } else {
            response.addHeader("WWW-Authenticate", "Bearer"); // API keys are taken as bearer values too
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
        }
        response.addHeader("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "Send a valid bearer token or API key (Authorization: Bearer <token> or X-API-Key: <key>)");
        problem.setTitle("Unauthorized");
        problems.write(response, problem);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (!rateLimit.admitRefused(request, response)) {
            return;
        }
        events.publishEvent(new AccessRefused(403, request.getMethod(), request.getRequestURI(), "role does not allow it",
                actors.get()));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "Your role does not allow this request");
        problem.setTitle("Forbidden");
        problems.write(response, problem);
    }

    /** The request as if it had come to {@code PUBLIC_BASE_URL}: its scheme, host, port and path prefix. */
    private static final class AtPublicAddress extends HttpServletRequestWrapper {

        private final URI base;

        AtPublicAddress(HttpServletRequest request, URI base) {
            super(request);
            this.base = base;
        }

        @Override
        public String getScheme() {
            return base.getScheme();
        }

        @Override
        public String getServerName() {
            return base.getHost();
        }

        @Override
        public int getServerPort() {
            return base.getPort() >= 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        }

        @Override
        public String getContextPath() {
            return base.getRawPath();
        }
    }
}
