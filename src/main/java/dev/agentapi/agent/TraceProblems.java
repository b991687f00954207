package dev.agentapi.agent;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The ways a recording (a Playwright trace) can be refused, each an RFC 9457 problem. */
final class TraceProblems {

    private TraceProblems() {
    }

    static ErrorResponseException alreadyRecording(String agentId) {
        return problem(HttpStatus.CONFLICT, "trace-already-recording", "Trace already recording",
                "Agent '" + agentId + "' is recording a trace already; stop it first (DELETE .../trace)");
    }

    static ErrorResponseException recordedByTask(String agentId, String taskId) {
        ErrorResponseException e = problem(HttpStatus.CONFLICT, "trace-recorded-by-task", "Trace recorded by a task",
                "Agent '" + agentId + "' is recording a trace for task '" + taskId + "'; the task stops it after its last step "
                        + "(or cancel the task)");
        e.getBody().setProperty("task_id", taskId);
        return e;
    }

    static ErrorResponseException notRecording(String agentId) {
        return problem(HttpStatus.CONFLICT, "trace-not-recording", "No trace recording",
                "Agent '" + agentId + "' records no trace (none was started, or its browser closed since); start one first");
    }

    static ErrorResponseException tooLarge(String agentId, long size, long cap) {
        ErrorResponseException e = problem(HttpStatus.UNPROCESSABLE_CONTENT, "trace-too-large", "Trace too large",
                "Agent '" + agentId + "''s trace is " + size + " bytes, more than the " + cap
                        + " bytes a trace may have; it was not stored (record a shorter stretch)");
        e.getBody().setProperty("size_bytes", size);
        e.getBody().setProperty("max_bytes", cap);
        return e;
    }

    static ErrorResponseException none(String agentId) {
        return problem(HttpStatus.NOT_FOUND, "trace-not-found", "No trace",
                "Agent '" + agentId + "' has no stored trace (none was recorded, or it has expired)");
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:agent-api:problem:" + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}
