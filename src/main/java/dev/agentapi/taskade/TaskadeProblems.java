package dev.agentapi.taskade;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Failures of the Taskade routes as RFC 9457 problems that also carry the seed's envelope
 * ({@code success: false}, {@code error}, and the route's data field, empty), so the seed's clients and
 * problem-aware clients both read them. Nothing here comes from Taskade's own answer.
 */
final class TaskadeProblems {

    static final long NOT_CONFIGURED_RETRY_AFTER_SECONDS = 60;

    /** The data field of a route's answer and its empty value: {@code "projects": []}, {@code "task": null}. */
    record Envelope(String field, Object empty, Map<String, Object> extra) {
        static Envelope of(String field, Object empty) {
            return new Envelope(field, empty, Map.of());
        }
    }

    private TaskadeProblems() {
    }

    static ErrorResponseException invalid(Envelope envelope, String field, String message) {
        return invalid(envelope, Map.of(field, message));
    }

    /** Field to message, in the body's order: the first is the seed's {@code error}, all are {@code errors}. */
    static ErrorResponseException invalid(Envelope envelope, Map<String, String> errors) {
        Map.Entry<String, String> first = errors.entrySet().iterator().next();
        String error = first.getKey() + " " + first.getValue();
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request", error, error, envelope);
        e.getBody().setProperty("errors", errors);
        return e;
    }

    static ErrorResponseException malformed(Envelope envelope, String detail) {
        return problem(HttpStatus.BAD_REQUEST, "malformed", "Malformed request", detail, detail, envelope);
    }

    static ErrorResponseException notFound(Envelope envelope, String what, String id) {
        return problem(HttpStatus.NOT_FOUND, "taskade-not-found", what + " not found",
                "No Taskade " + what.toLowerCase() + " '" + id + "' is visible to you", what + " not found", envelope);
    }

    static ErrorResponseException of(TaskadeFailure failure, Envelope envelope, String missingWhat, String missingId) {
        return switch (failure.kind()) {
            case NOT_CONFIGURED -> retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "taskade-not-configured",
                    "Taskade not configured", "This service has no Taskade API key (TASKADE_API_KEY)",
                    "Taskade is not configured", envelope), NOT_CONFIGURED_RETRY_AFTER_SECONDS);
            case UNAVAILABLE -> retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "taskade-unavailable",
                    "Taskade unavailable", failure.getMessage(), "Taskade is unavailable", envelope),
                    failure.retryAfterSeconds());
            case TIMEOUT -> problem(HttpStatus.GATEWAY_TIMEOUT, "taskade-timeout", "Taskade timeout",
                    failure.getMessage(), "Taskade did not answer in time", envelope);
            case NOT_FOUND -> notFound(envelope, missingWhat, missingId);
            case BAD_GATEWAY -> {
                ErrorResponseException e = problem(HttpStatus.BAD_GATEWAY, "taskade-error", "Taskade error",
                        failure.getMessage(), "Taskade error", envelope);
                if (failure.upstreamStatus() > 0 && failure.upstreamStatus() != 200) {
                    e.getBody().setProperty("taskade_status", failure.upstreamStatus());
                }
                yield failure.retryAfterSeconds() == null ? e : retryLater(e, failure.retryAfterSeconds());
            }
        };
    }

    private static ErrorResponseException retryLater(ErrorResponseException e, Long seconds) {
        long wait = seconds == null ? NOT_CONFIGURED_RETRY_AFTER_SECONDS : Math.max(1, seconds);
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(wait));
        e.getBody().setProperty("retry_after", wait);
        return e;
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail,
                                                  String error, Envelope envelope) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:agent-api:problem:" + type));
        body.setTitle(title);
        Map<String, Object> seed = new LinkedHashMap<>();
        seed.put("success", false);
        seed.putAll(envelope.extra());
        seed.put(envelope.field(), envelope.empty());
        seed.put("error", error);
        seed.forEach(body::setProperty);
        return new ErrorResponseException(status, body, null);
    }
}
