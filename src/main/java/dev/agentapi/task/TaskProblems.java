package dev.agentapi.task;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The ways a task operation can be refused, each an RFC 9457 problem. */
final class TaskProblems {

    private TaskProblems() {
    }

    static ErrorResponseException notFound(String id) {
        return problem(HttpStatus.NOT_FOUND, "task-not-found", "Task not found", "No task with id '" + id + "'");
    }

    static ErrorResponseException invalid(Map<String, String> errors) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
                "The request has invalid fields");
        e.getBody().setProperty("errors", errors);
        return e;
    }

    static ErrorResponseException idempotencyConflict(String key) {
        return problem(HttpStatus.CONFLICT, "idempotency-key-reused", "Idempotency key reused",
                "Idempotency-Key '" + key + "' was used for a different request");
    }

    static ErrorResponseException finished(String id, TaskStatus status) {
        return problem(HttpStatus.CONFLICT, "task-finished", "Task already finished",
                "Task '" + id + "' is " + status.value() + " and can no longer change");
    }

    static ErrorResponseException leaseNotHeld(String id) {
        return problem(HttpStatus.CONFLICT, "lease-not-held", "Lease not held",
                "This lease does not hold task '" + id + "' (it expired, the task was taken back, or the token is wrong)");
    }

    static ErrorResponseException noAttachment(String id, int step) {
        return problem(HttpStatus.NOT_FOUND, "task-result-not-found", "Step result not found",
                "Task '" + id + "' has no result for step " + step);
    }

    static ErrorResponseException noTrace(String id) {
        return problem(HttpStatus.NOT_FOUND, "task-trace-not-found", "Task trace not found",
                "Task '" + id + "' has no stored trace (it did not ask for one, has not run yet, its trace was not kept, "
                        + "or it has expired)");
    }

    /**
     * One of the owner's fair-share caps is met: 429 in the seed's rate-limit shape, with a Retry-After, and
     * nothing stored.
     */
    static ErrorResponseException quota(String detail, long retryAfterSeconds) {
        ErrorResponseException e = problem(HttpStatus.TOO_MANY_REQUESTS, "task-quota", "Too Many Requests", detail);
        e.getBody().setProperty("error", "Task quota exceeded");
        e.getBody().setProperty("message", detail);
        e.getBody().setProperty("retry_after", retryAfterSeconds);
        e.getHeaders().set(org.springframework.http.HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return e;
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:agent-api:problem:" + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}
