package dev.agentapi.web;

import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Tomcat parses the query string (and a form body) only when something first asks for a parameter,
 * and then refuses the whole request if a parameter has an empty name ({@code ?=x}), a broken
 * %-escape, bytes that are not UTF-8, or there are too many parameters. That surfaces as an
 * {@link InvalidParameterException} wherever the first parameter was read: a client's mistake, so a
 * 400 (or Tomcat's 413 for too many) naming the query, never the generic 500.
 */
final class MalformedParameters {

    private MalformedParameters() {
    }

    /** The Tomcat refusal somewhere in {@code ex}'s causes, or null. */
    static InvalidParameterException find(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidParameterException invalid) {
                return invalid;
            }
        }
        return null;
    }

    static ResponseEntity<ProblemDetail> problem(InvalidParameterException ex) {
        HttpStatus status = HttpStatus.resolve(ex.getErrorCode());
        if (status == null || !status.is4xxClientError()) {
            status = HttpStatus.BAD_REQUEST;
        }
        String message = status == HttpStatus.CONTENT_TOO_LARGE
                ? "The query string and form body hold too many parameters"
                : "The query string (or form body) is malformed: every parameter needs a name, and %-escapes must decode to UTF-8";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, message);
        body.setTitle("Malformed query");
        body.setProperty("errors", Map.of("query", message));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
