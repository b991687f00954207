package dev.agentapi.task;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Runs the tasks of one type inside the service. Every handler bean's {@link #type()} becomes an
 * accepted {@code task_type}; {@code generic} has none (external workers claim it through the API).
 */
public interface TaskHandler {

    /** The {@code task_type} this handler runs, e.g. {@code browser.actions}. */
    String type();

    /**
     * Checks a payload at the door, in the creating request (so with its caller): field → message
     * for each problem, empty when the handler would accept it. Nothing is stored when it is not empty.
     */
    Map<String, String> validate(JsonNode payload);

    /**
     * Whether tasks of this type may ask for a trace of their run ({@code "trace": true}); the handler then records one
     * ({@link TaskRun#trace()}) and keeps it with the task ({@link TaskRun#attachTrace}). No by default: such a request is
     * refused at the door.
     */
    default boolean traces() {
        return false;
    }

    /**
     * Does the work and answers the result to store. Calls {@link TaskRun#checkpoint()} between steps,
     * where a cancel takes effect. Throws {@link TaskFailure} for a failure with a known cause; any
     * other exception counts as a failure that may pass on a later attempt.
     */
    JsonNode run(TaskRun run);
}
