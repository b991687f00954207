package dev.agentapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Accept} header cannot be parsed with 406 problem+json, before any
 * handler runs. Spring MVC would refuse it too, but writes an error answer to such a request with
 * no body at all, since it cannot negotiate one (RFC 9110 allows either 406 or ignoring the header).
 * Runs after authentication and rate limiting, which answer without negotiating.
 */
@Component
@Order(1)
public class AcceptHeaderFilter extends OncePerRequestFilter {

    private final HeaderContentNegotiationStrategy negotiation = new HeaderContentNegotiationStrategy();
    private final ProblemWriter problems;

    public AcceptHeaderFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(HttpHeaders.ACCEPT) != null && !parseable(request)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_ACCEPTABLE,
                    "The Accept header could not be parsed; send Accept: application/json or leave it out");
            problem.setTitle("Not Acceptable");
            problems.write(response, problem);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Parsed as Spring MVC parses it for content negotiation. */
    private boolean parseable(HttpServletRequest request) {
        try {
            negotiation.resolveMediaTypes(new ServletWebRequest(request));
            return true;
        } catch (HttpMediaTypeNotAcceptableException unparseable) {
            return false;
        }
    }
}
