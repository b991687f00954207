package dev.agentapi.agent;

import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserActionRules;
import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.task.TaskFailure;
import dev.agentapi.task.TaskHandler;
import dev.agentapi.task.TaskRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code browser.actions}: {@code {"agent_id": ..., "actions": [...]}} runs the typed actions of the
 * actions endpoint, in order, on the creator's agent through the same service the endpoint calls
 * (which relaunches a stopped browser first). Each step is charged to the owner's rate limit as the
 * endpoint's request would be (the same policy, the same bucket): a step over the limit waits for the
 * refill, yielding meanwhile. Each step's result is stored; screenshots, PDFs, page HTML and long texts
 * become attachments, so task lists stay small. A task queued with {@code "trace": true} records a Playwright trace of
 * its run ({@link AgentTraces#startForTask}) from before its first step to after its last, also when a step fails or the
 * task is cancelled, and keeps the zip with the task ({@code result.trace}, or {@code error.trace} when it failed). An
 * agent that records already (a trace started through the API or MCP) fails such a task at once, for good, with
 * that reason: the recording is someone else's to stop, and the task does not take it over.
 */
@Component
class BrowserActionsTaskHandler implements TaskHandler {

    static final String TYPE = "browser.actions";
    static final int MAX_ACTIONS = 100;
    private static final int MAX_INLINE_TEXT = 16 * 1024;

    private final AgentService agents;
    private final BrowserActionRules rules;
    private final JsonMapper json;
    private final CurrentActor currentActor;
    private final RateLimitFilter rateLimit;
    private final AgentTraces traces;

    BrowserActionsTaskHandler(AgentService agents, BrowserActionRules rules, JsonMapper json, CurrentActor currentActor,
                              RateLimitFilter rateLimit, AgentTraces traces) {
        this.rateLimit = rateLimit;
        this.traces = traces;
        this.agents = agents;
        this.rules = rules;
        this.json = json;
        this.currentActor = currentActor;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean traces() {
        return true;
    }

    @Override
    public Map<String, String> validate(JsonNode payload) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode agentId = payload.get("agent_id");
        if (agentId == null || !agentId.isString() || agentId.asString().isBlank()) {
            errors.put("agent_id", "is required");
        } else if (!ownAgent(agentId.asString())) {
            errors.put("agent_id", "no such agent");
        }
        JsonNode actions = payload.get("actions");
        if (actions == null || !actions.isArray() || actions.isEmpty()) {
            errors.put("actions", "must be a non-empty array of actions");
        } else if (actions.size() > MAX_ACTIONS) {
            errors.put("actions", "must hold at most " + MAX_ACTIONS + " actions");
        } else {
            for (int i = 0; i < actions.size(); i++) {
                int step = i;
                action(actions.get(i)).ifPresentOrElse(
                        action -> violation(action).ifPresent(v -> errors.put("actions[" + step + "]", v)),
                        () -> errors.put("actions[" + step + "]", "must be an action with a known type "
                                + "(navigate, click, fill, press, wait_for, text, content, screenshot, pdf) and fields of the right type"));
            }
        }
        return errors;
    }

    /**
     * What the actions endpoint refuses before any browser is involved: its Bean Validation rules, and a
     * scheme other than http(s), which it refuses (403) only when the step would run.
     */
    private Optional<String> violation(BrowserAction action) {
        Map<String, String> violations = rules.violations(action);
        if (!violations.isEmpty()) {
            return Optional.of(violations.entrySet().stream().map(v -> v.getKey() + " " + v.getValue())
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        if (action instanceof BrowserAction.Navigate navigate) {
            String url = navigate.url().trim().toLowerCase(java.util.Locale.ROOT);
            if (!url.startsWith("http:") && !url.startsWith("https:")) {
                return Optional.of("only http and https URLs may be opened");
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the steps as the task's owner, not as the system: ownership is checked again at each step (the
     * agent may have been deleted, and its id taken by someone else, since the task was queued), the
     * owner's browser quota applies, and each action's audit entry names the owner, on whichever replica
     * holds the browser.
     */
    @Override
    public JsonNode run(TaskRun run) {
        return currentActor.runAs(new Actor(run.owner(), null, null, null, false), () -> runSteps(run));
    }

    private JsonNode runSteps(TaskRun run) {
        String agentId = run.payload().get("agent_id").asString();
        if (!run.trace()) {
            return steps(run, agentId);
        }
        run.checkpoint(); // a task cancelled before it began records nothing
        startTrace(run, agentId);
        ObjectNode done;
        try {
            done = steps(run, agentId);
        } catch (TaskFailure failed) {
            Map<String, Object> details = new LinkedHashMap<>(failed.details());
            details.put("trace", stopTrace(run, agentId));
            throw new TaskFailure(failed.getMessage(), failed.retryable(), details);
        } catch (RuntimeException | Error ended) { // cancelled, budget spent, lease lost, crashed: the trace so far is kept
            stopTrace(run, agentId);
            throw ended;
        }
        done.set("trace", stopTrace(run, agentId));
        return done;
    }

    /** Starts the task's recording; a refusal fails the task, for good when the agent records already. */
    private void startTrace(TaskRun run, String agentId) {
        try {
            traces.startForTask(agentId, run.taskId());
        } catch (ErrorResponseException refused) {
            int status = refused.getStatusCode().value();
            String type = String.valueOf(refused.getBody().getType());
            boolean recording = type.endsWith(":trace-already-recording") || type.endsWith(":trace-recorded-by-task");
            String detail = recording
                    ? "Agent '" + agentId + "' is recording a trace already (started through the API or MCP, or by another "
                            + "task), so this task cannot record its own; stop that recording, or queue the task without \"trace\""
                    : refused.getBody().getDetail();
            throw new TaskFailure("The trace could not be started: " + detail, !recording && (status >= 500 || status == 409),
                    Map.of("status", status, "problem", type));
        }
    }

    /** Stops the task's recording and keeps the zip with the task: what {@code result.trace} says of it. */
    private ObjectNode stopTrace(TaskRun run, String agentId) {
        AgentTraces.TaskTrace trace = traces.stopForTask(agentId, run.taskId());
        ObjectNode node = json.createObjectNode();
        String notKept = trace.notKept();
        if (notKept == null) {
            try {
                if (!run.attachTrace(trace.zip(), trace.expiresAt())) {
                    notKept = "this worker lost the task's lease; the attempt that holds it keeps its own trace";
                }
            } catch (RuntimeException e) {
                notKept = "the trace could not be stored: " + e.getMessage();
            }
        }
        node.put("kept", notKept == null);
        if (trace.sizeBytes() != null) {
            node.put("size_bytes", trace.sizeBytes());
        }
        if (notKept == null) {
            node.put("media_type", TraceController.ZIP);
            node.put("attachment", run.tracePath());
            node.put("expires_at", trace.expiresAt().toString());
        } else {
            node.put("reason", notKept);
        }
        return node;
    }

    private ObjectNode steps(TaskRun run, String agentId) {
        JsonNode actions = run.payload().get("actions");
        ArrayNode steps = json.createArrayNode();
        for (int i = 0; i < actions.size(); i++) {
            run.checkpoint();
            BrowserAction action = action(actions.get(i)).orElseThrow(() -> new TaskFailure("Stored action cannot be read", false, Map.of()));
            charge(run, agentId);
            ActionResult result;
            try {
                result = agents.act(agentId, action);
            } catch (ErrorResponseException refused) {
                int status = refused.getStatusCode().value();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("step", i);
                details.put("status", status);
                details.put("steps", steps);
                throw new TaskFailure("Step " + i + " (" + action.type() + "): " + refused.getBody().getDetail(),
                        status >= 500 || status == 409, details);
            }
            steps.add(step(run, i, action, result));
        }
        ObjectNode done = json.createObjectNode();
        done.put("agent_id", agentId);
        done.set("steps", steps);
        return done;
    }

    /** Takes a token for one step from the owner's bucket of the actions route, waiting for the refill while there is none. */
    private void charge(TaskRun run, String agentId) {
        String path = "/api/agents/browser/" + agentId + "/actions";
        for (OptionalLong wait = rateLimit.charge(run.owner(), "POST", path); wait.isPresent();
             wait = rateLimit.charge(run.owner(), "POST", path)) {
            run.pause(Duration.ofSeconds(wait.getAsLong()));
        }
    }

    private ObjectNode step(TaskRun run, int index, BrowserAction action, ActionResult result) {
        ObjectNode step = json.createObjectNode();
        step.put("step", index);
        step.put("type", action.type());
        step.put("url", result.url());
        step.put("title", result.title());
        Attachment attachment = null;
        if (result.data() != null) {
            attachment = new Attachment(result.mediaType(), result.data());
        } else if (result.html() != null) {
            attachment = new Attachment("text/html;charset=UTF-8", result.html().getBytes(StandardCharsets.UTF_8));
        } else if (result.text() != null && result.text().length() > MAX_INLINE_TEXT) {
            attachment = new Attachment("text/plain;charset=UTF-8", result.text().getBytes(StandardCharsets.UTF_8));
        } else if (result.text() != null) {
            step.put("text", result.text());
        } else if (!result.fields().isEmpty()) {
            // a structured answer (tabs, cookies, storage state, ...): inline when small, else attached as JSON
            byte[] fields = json.writeValueAsBytes(result.fields());
            if (fields.length > MAX_INLINE_TEXT) {
                attachment = new Attachment("application/json", fields);
            } else {
                result.fields().forEach((name, value) -> step.set(name, json.valueToTree(value)));
            }
        }
        if (attachment != null) {
            run.attach(index, attachment.mediaType(), attachment.data());
            step.put("media_type", attachment.mediaType());
            step.put("attachment", run.attachmentPath(index));
        }
        return step;
    }

    private record Attachment(String mediaType, byte[] data) {
    }

    private Optional<BrowserAction> action(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.treeToValue(node, BrowserAction.class));
        } catch (JacksonException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    /** The caller's own agent (also for an admin: the steps run with the owner's rights, see {@link #run}). */
    private boolean ownAgent(String agentId) {
        try {
            return Objects.equals(agents.get(agentId).createdBy(), currentActor.get().userId());
        } catch (ErrorResponseException notFound) {
            return false;
        }
    }
}
