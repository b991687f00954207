package dev.agentapi.ratelimit;

import dev.agentapi.telemetry.Telemetry;
import dev.agentapi.web.ClientAddressResolver;
import dev.agentapi.web.ProblemWriter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Applies the first matching token-bucket policy to each request, keyed by the authenticated
 * principal (or, without one, the client address). Runs after authentication, so a caller's
 * identity, not their address, is what they spend.
 */
@Component
@Order(0)
public class RateLimitFilter extends OncePerRequestFilter {

    private final List<Limit> limits;
    private final List<PathPattern> exempt;
    private final boolean enabled;
    private final String keyPrefix;
    private final BucketStore buckets;
    private final ClientAddressResolver clients;
    private final ProblemWriter problems;
    private final Telemetry telemetry;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;

    private record Limit(RateLimitPolicy policy, BucketConfiguration configuration) {
    }

    public RateLimitFilter(RateLimitProperties properties, BucketStore buckets, ClientAddressResolver clients,
                           ProblemWriter problems, Telemetry telemetry, MeterRegistry meters, ApplicationEventPublisher events) {
        this.limits = properties.policies().stream().map(RateLimitPolicy::parse)
                .map(p -> new Limit(p, BucketConfiguration.builder().addLimit(p.bandwidth()).build()))
                .toList();
        this.exempt = properties.exempt().stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.enabled = properties.enabled();
        this.keyPrefix = properties.keyPrefix();
        this.buckets = buckets;
        this.clients = clients;
        this.problems = problems;
        this.telemetry = telemetry;
        this.meters = meters;
        this.events = events;
    }

    @Override
    public boolean shouldNotFilter(HttpServletRequest request) {
        return !enabled || exempt(path(request));
    }

    /** Whether requests of this method and path are limited: what the API docs say of each operation. */
    public boolean limits(String method, String path) {
        return enabled && !exempt(PathContainer.parsePath(path)) && limitFor(method, PathContainer.parsePath(path)) != null;
    }

    // plain loops over the parsed path: this runs on every request
    private boolean exempt(PathContainer path) {
        for (PathPattern pattern : exempt) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private Limit limitFor(String method, PathContainer path) {
        for (Limit limit : limits) {
            if (limit.policy().matches(method, path)) {
                return limit;
            }
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (admit(request, response, callerKey(request))) {
            chain.doFilter(request, response);
        }
    }

    /**
     * Charges a request that security refused (and so never reaches this filter): a failed
     * authentication to its client address, so guessing keys or tokens is limited like any other
     * traffic; a forbidden one to its principal. False when refused: the 429 answer is then written.
     */
    public boolean admitRefused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return shouldNotFilter(request) || admit(request, response, callerKey(request));
    }

    /**
     * Charges work done inside an admitted request as if it were its own {@code method path} request
     * (an MCP tool call that does what that REST route does): the same policy, the same caller's
     * bucket. Empty when admitted; else the seconds to wait, and the refusal is counted as a 429 is.
     */
    public OptionalLong charge(HttpServletRequest request, String method, String path) {
        return chargeKey(callerKey(request), method, path);
    }

    /**
     * Charges work done for {@code principal} outside any request (a step of their queued task doing what that
     * REST route does) as if it were their own {@code method path} request: the same policy, the same bucket
     * as their requests spend. Empty when admitted; else the seconds to wait, and the refusal is counted.
     */
    public OptionalLong charge(String principal, String method, String path) {
        return chargeKey("user:" + principal, method, path);
    }

    private OptionalLong chargeKey(String callerKey, String method, String path) {
        PathContainer parsed = PathContainer.parsePath(path);
        Limit limit = !enabled || exempt(parsed) ? null : limitFor(method, parsed);
        if (limit == null) {
            return OptionalLong.empty();
        }
        RateLimitPolicy policy = limit.policy();
        ConsumptionProbe probe = buckets.tryConsume(keyPrefix + policy.name() + ":" + callerKey, limit.configuration());
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        counted(policy, retryAfter, callerKey);
        return OptionalLong.of(retryAfter);
    }

    /** Takes a token from the caller's bucket of the first matching policy; writes the 429 when there is none. */
    private boolean admit(HttpServletRequest request, HttpServletResponse response, String callerKey) throws IOException {
        Limit limit = limitFor(request.getMethod(), path(request));
        if (limit == null) {
            return true;
        }
        RateLimitPolicy policy = limit.policy();
        ConsumptionProbe probe = buckets.tryConsume(keyPrefix + policy.name() + ":" + callerKey, limit.configuration());
        long resetSeconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForReset() + 999_999_999L);
        response.setHeader("X-RateLimit-Limit", String.valueOf(policy.capacity()));
        response.setHeader("X-RateLimit-Remaining", String.valueOf(Math.max(0, probe.getRemainingTokens())));
        response.setHeader("X-RateLimit-Reset", String.valueOf(Instant.now().getEpochSecond() + resetSeconds));
        if (probe.isConsumed()) {
            return true;
        }
        reject(response, policy, probe, callerKey);
        return false;
    }

    /**
     * The principal when authenticated ({@code user:<name>}, as {@link #charge(String, String, String)} keys
     * it too), else the client address (trusted-proxy aware). Read from the security
     * context, as Spring Security's servlet-API wrapper would answer {@code getUserPrincipal()} (the
     * service leaves that wrapper out: it was one more layer under every header and attribute read).
     */
    String callerKey(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean user = authentication != null && authentication.getPrincipal() != null
                && !(authentication instanceof AnonymousAuthenticationToken);
        return user ? "user:" + authentication.getName() : "ip:" + clients.clientAddress(request);
    }

    private void reject(HttpServletResponse response, RateLimitPolicy policy, ConsumptionProbe probe, String callerKey)
            throws IOException {
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        counted(policy, retryAfter, callerKey);
        response.setHeader("Retry-After", String.valueOf(retryAfter));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many requests. Please try again in " + retryAfter + " seconds.");
        problem.setType(URI.create("urn:agent-api:problem:rate-limited"));
        problem.setTitle("Too Many Requests");
        problem.setProperty("error", "Rate limit exceeded");
        problem.setProperty("message", "Too many requests. Please try again in " + retryAfter + " seconds.");
        problem.setProperty("retry_after", retryAfter);
        problems.write(response, problem);
    }

    /** Counted, sent as telemetry, and published as a {@link RateLimitRefused} (the audit trail aggregates those per minute). */
    private void counted(RateLimitPolicy policy, long retryAfter, String callerKey) {
        events.publishEvent(new RateLimitRefused(callerKey, policy.name()));
        Counter.builder("rate_limit_exceeded").tag("policy", policy.name())
                .description("Requests refused by a rate-limit policy").register(meters).increment();
        telemetry.event("rate_limit.exceeded", Map.of("policy", policy.name(), "retry_after", String.valueOf(retryAfter),
                "backend", buckets.backend()));
    }

    /** The path within the application: as Spring Security's chain has parsed it already, else parsed here. */
    private static PathContainer path(HttpServletRequest request) {
        if (ServletRequestPathUtils.hasParsedRequestPath(request)) {
            return ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
        }
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return PathContainer.parsePath(context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri);
    }
}
