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
 * become attachments, so task lists stay small.
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

    BrowserActionsTaskHandler(AgentService agents, BrowserActionRules rules, JsonMapper json, CurrentActor currentActor,
                              RateLimitFilter rateLimit) {
        this.rateLimit = rateLimit;
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
