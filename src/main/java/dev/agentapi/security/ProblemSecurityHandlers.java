package dev.agentapi.security;

import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 * forbidden), so refusals are limited like any other traffic (429 when the bucket is empty).
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ProblemWriter problems;
    private final RateLimitFilter rateLimit;
    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    ProblemSecurityHandlers(ProblemWriter problems, RateLimitFilter rateLimit) {
        this.problems = problems;
        this.rateLimit = rateLimit;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (!rateLimit.admitRefused(request, response)) {
            return;
        }
        // Sets WWW-Authenticate: Bearer (with error="invalid_token" details for a bad JWT).
        bearer.commence(request, response, failure);
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
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "Your role does not allow this request");
        problem.setTitle("Forbidden");
        problems.write(response, problem);
    }
}
