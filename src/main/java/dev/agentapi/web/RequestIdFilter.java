package dev.agentapi.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every response carries {@code X-Request-Id}: the caller's own when it sent a sane one, otherwise
 * the W3C trace id, as in the log lines. Runs inside the tracing filter, which continues an
 * incoming {@code traceparent}; the Application Insights agent continues the same one, so for a
 * caller that sends it the id is also the request's operation id there.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Looked up once: ObjectProvider resolves the bean anew on every call, which showed in request profiles. */
    private final SingletonSupplier<Tracer> tracer;

    public RequestIdFilter(ObjectProvider<Tracer> tracer) {
        this.tracer = SingletonSupplier.of(tracer::getIfAvailable);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = request.getHeader(HEADER);
        if (requestId == null || !SANE.matcher(requestId).matches()) {
            requestId = currentTraceId();
        }
        response.setHeader(HEADER, requestId);
        MDC.put("request_id", requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("request_id");
        }
    }

    private String currentTraceId() {
        Tracer current = tracer.get();
        Span span = current == null ? null : current.currentSpan();
        return span != null ? span.context().traceId() : UUID.randomUUID().toString().replace("-", "");
    }
}
