package dev.agentapi.mcp;

import dev.agentapi.agent.AgentService;
import dev.agentapi.agent.AgentTraces;
import dev.agentapi.agent.AgentStatus;
import dev.agentapi.agent.AgentView;
import dev.agentapi.agent.HumanRequestService;
import dev.agentapi.agent.CreateAgentRequest;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.task.TaskQueueService;
import dev.agentapi.task.TaskRequests;
import dev.agentapi.telemetry.Telemetry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP tools: each a thin call into the service its REST route calls ({@link #ROUTES}), so
 * ownership, capacity, the egress guard, audit entries and telemetry apply as they do there. Each
 * call is also charged to that route's rate-limit policy, as the REST call would be, and observed
 * ({@code mcp.tool.call}, tagged with the tool and its outcome).
 */
@Component
class McpTools {

    private static final Logger log = LoggerFactory.getLogger(McpTools.class);
    private static final String AGENTS = "/api/agents/browser";
    private static final String TASKS = "/api/agents/mcp/tasks";

    /** Tool name to the REST route it stands for: what it is rate-limited as, and what the table in docs/api.md shows. */
    static final Map<String, String> ROUTES = routes();

    private final AgentService agents;
    private final AgentTraces traces;
    private final HumanRequestService humanRequests;
    private final TaskQueueService tasks;
    private final Validator validator;
    private final JsonMapper json;
    private final ToolResults results;
    private final RateLimitFilter rateLimit;
    private final ObservationRegistry observations;
    private final Telemetry telemetry;
    /** Sends the progress of the calls that asked for it; one daemon thread, each send a few hundred bytes. */
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mcp-progress");
        thread.setDaemon(true);
        return thread;
    });
    static final long PROGRESS_SECONDS = 1;

    McpTools(AgentService agents, AgentTraces traces, HumanRequestService humanRequests, TaskQueueService tasks, Validator validator,
             JsonMapper json, RateLimitFilter rateLimit, ObservationRegistry observations, Telemetry telemetry) {
        this.agents = agents;
        this.traces = traces;
        this.humanRequests = humanRequests;
        this.tasks = tasks;
        this.validator = validator;
        this.json = json;
        this.results = new ToolResults(json);
        this.rateLimit = rateLimit;
        this.observations = observations;
        this.telemetry = telemetry;
    }

    private static Map<String, String> routes() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("list_agents", "GET " + AGENTS);
        routes.put("create_agent", "POST " + AGENTS);
        routes.put("delete_agent", "DELETE " + AGENTS + "/{agent_id}");
        for (String action : List.of("navigate", "navigate_back", "navigate_forward", "click", "fill", "press", "hover", "fill_form", "select_option",
                "type", "press_key", "drag", "resize", "wait_for", "get_text", "snapshot", "screenshot", "content", "pdf",
                "tabs", "handle_dialog", "console_messages", "network_requests", "cookies", "storage_state", "file_upload", "evaluate")) {
            routes.put(action, "POST " + AGENTS + "/{agent_id}/actions");
        }
        routes.put("trace_start", "POST " + AGENTS + "/{agent_id}/trace");
        routes.put("trace_stop", "DELETE " + AGENTS + "/{agent_id}/trace");
        // what it asks for: a person's takeover (POST .../takeover); GET .../takeover shows the request while it waits
        routes.put("request_human", "POST " + AGENTS + "/{agent_id}/takeover");
        routes.put("enqueue_task", "POST " + TASKS);
        routes.put("get_task", "GET " + TASKS + "/{task_id}");
        return java.util.Collections.unmodifiableMap(routes);
    }

    List<SyncToolSpecification> specifications() {
        Map<String, Object> agentId = agentIdSchema();
        return List.of(
                tool("list_agents", "List your browser agents, newest first (deleted ones excluded).", listSchema(), true, false,
                        this::listAgents),
                tool("create_agent", "Create a browser agent and launch its browser (Chromium unless a channel is given). "
                        + "Answers the agent, whose status says whether the browser runs.",
                        ToolSchemas.of(CreateAgentRequest.class), false, false, this::createAgent),
                tool("delete_agent", "Stop an agent's browser and delete the agent (its audit history remains).",
                        object(Map.of("agent_id", agentId)), false, true, this::deleteAgent),
                action("navigate", BrowserAction.Navigate.class, "Open a URL (http or https) in the agent's browser.", agentId, false),
                action("navigate_back", BrowserAction.NavigateBack.class, "Go back to the previous page in the agent's history "
                        + "(stays where it is when there is none).", agentId, false),
                action("navigate_forward", BrowserAction.NavigateForward.class, "Go forward to the next page in the agent's history.",
                        agentId, false),
                action("click", BrowserAction.Click.class, "Click an element: its ref from the latest snapshot (e.g. e12), or the first element matching a selector "
                        + "(CSS, text=..., role=...).", agentId, false),
                action("fill", BrowserAction.Fill.class, "Type a value into an input (by ref or selector), replacing its content.", agentId, false),
                action("press", BrowserAction.Press.class, "Press a key (e.g. Enter, Tab, Control+A) on an element (by ref or selector).", agentId, false),
                action("hover", BrowserAction.Hover.class, "Move the mouse over an element (by ref or selector).", agentId, false),
                action("fill_form", BrowserAction.FillForm.class, "Fill several form fields in one call, in order (each by ref or "
                        + "selector): text typed in, a select's option chosen by value or label, a checkbox or radio set to true or false.",
                        agentId, false),
                action("select_option", BrowserAction.SelectOption.class, "Select options in a dropdown (by ref or selector), each "
                        + "named by its value or its label.", agentId, false),
                action("type", BrowserAction.TypeText.class, "Type text into an editable element (by ref or selector), replacing its "
                        + "content: at once, or slowly (key by key, for pages that react to each key); submit presses Enter after.",
                        agentId, false),
                action("press_key", BrowserAction.PressKey.class, "Press a key on the page (e.g. ArrowLeft, Escape, Control+A), "
                        + "to whatever has the focus.", agentId, false),
                action("drag", BrowserAction.Drag.class, "Drag one element onto another (each by ref or selector: start_ref or "
                        + "start_selector, end_ref or end_selector).", agentId, false),
                action("resize", BrowserAction.Resize.class, "Resize the page's viewport (CSS pixels).", agentId, false),
                action("wait_for", BrowserAction.WaitFor.class, "Wait for one thing: an element (by ref or selector) to be attached, "
                        + "detached, visible or hidden; a text to appear (text) or to disappear (text_gone); or a number of seconds (time).",
                        agentId, true),
                action("get_text", BrowserAction.Text.class, "Read the visible text of the page, or of an element (by ref or selector).", agentId, true),
                action("snapshot", BrowserAction.Snapshot.class, "The page's accessibility tree (or an element's) as Playwright's AI snapshot "
                        + "(YAML, at most " + BrowserAction.MAX_SNAPSHOT_CHARS + " characters): roles, names, states and a ref per "
                        + "element ([ref=e12]); the other tools take that ref instead of a selector. Refs hold until the page changes.", agentId, true),
                action("screenshot", BrowserAction.Screenshot.class, "A PNG screenshot of the viewport, the full page, or one element "
                        + "(by ref or selector); kept as the resource agent://{agent_id}/screenshot until the next.", agentId, true),
                action("content", BrowserAction.Content.class, "The page's HTML.", agentId, true),
                action("pdf", BrowserAction.Pdf.class, "The page printed as a PDF (headless agents only), as an embedded resource "
                        + "(agent://{agent_id}/pdf, which resources/read answers until the next pdf).",
                        agentId, true),
                action("tabs", BrowserAction.Tabs.class, "The agent's tabs (its own and those its pages opened): list them, open a "
                        + "new one (optionally at a url) and make it active, select one by index (every other tool then acts on it), "
                        + "or close one (the active one without an index). Answers the tabs and which is active.", agentId, false),
                action("handle_dialog", BrowserAction.HandleDialog.class, "Say how the next dialog (alert, confirm, prompt, "
                        + "beforeunload) of the agent's pages is answered: accept (a prompt with prompt_text) or dismiss. Call it "
                        + "before the action that opens the dialog; dialogs nobody armed for are dismissed. Answers the dialogs "
                        + "answered since the last call (type, message, accepted).", agentId, false),
                action("console_messages", BrowserAction.ConsoleMessages.class, "The active tab's console messages, oldest first "
                        + "(the last 200 at most, each cut at 2000 characters); clear empties the buffer after reading.", agentId, true),
                action("network_requests", BrowserAction.NetworkRequests.class, "The active tab's finished and failed requests, "
                        + "oldest first (the last 200 at most): method, URL (credentials redacted), resource type, status or failure. "
                        + "No headers or bodies.", agentId, true),
                action("cookies", BrowserAction.Cookies.class, "The agent's cookies: get them all, add some (each with a url, or a "
                        + "domain and a path), or clear them all.", agentId, false),
                action("storage_state", BrowserAction.StorageState.class, "The browser's live storage state as Playwright reads it: "
                        + "cookies and each origin's local storage.", agentId, true),
                action("file_upload", BrowserAction.FileUpload.class, "Set the files of a file input (by ref or selector) from "
                        + "content given here, base64-encoded (each with a plain name and a media type).", agentId, false),
                action("evaluate", BrowserAction.Evaluate.class, "Run JavaScript in the page: an expression, or a function (given "
                        + "the element when a ref or selector names one); answers its value as JSON text. Refused unless the "
                        + "deployment turned it on (BROWSER_ALLOW_EVALUATE); audited with the script's SHA-256.", agentId, false),
                tool("trace_start", "Start recording a Playwright trace of the agent's browser (screenshots, DOM snapshots, "
                        + "network) until trace_stop; the browser must be running (run an action first).",
                        object(Map.of("agent_id", agentId)), false, false, arguments -> results.json(traces.start(requiredString(arguments, "agent_id")))),
                tool("trace_stop", "Stop the agent's recording and store the trace zip as its last trace; its owner downloads it "
                        + "with GET /api/agents/browser/{agent_id}/trace (for Playwright's trace viewer).",
                        object(Map.of("agent_id", agentId)), false, false, arguments -> results.json(traces.stop(requiredString(arguments, "agent_id")))),
                tool("request_human", "Ask for a person to act in the agent's browser (a login's second factor, a consent page, "
                        + "a CAPTCHA): the agent shows as waiting in the console with your message, and the call returns once a person "
                        + "has taken it over and released it (outcome released, idle-timeout or browser-closed, answered true), or "
                        + "when timeout_seconds pass (outcome timed-out, an error result), or the agent is deleted (agent-deleted). "
                        + "The browser must be running; your MCP client's request timeout must be longer than timeout_seconds "
                        + "(calling again for the same agent replaces the earlier wait).",
                        humanRequestSchema(agentId), false, false, this::requestHuman),
                tool("enqueue_task", "Queue a task (task_type generic or browser.actions) for the service's workers.",
                        ToolSchemas.of(TaskRequests.Create.class), false, false, this::enqueueTask),
                tool("get_task", "Read a queued task: its status, attempts and result.",
                        object(Map.of("task_id", Map.of("type", "string", "minLength", 1))), true, false, this::getTask));
    }

    private SyncToolSpecification action(String name, Class<? extends BrowserAction> type, String description,
                                         Map<String, Object> agentId, boolean readOnly) {
        Map<String, Object> schema = ToolSchemas.of(type, Map.of("agent_id", agentId), List.of());
        String actionType = type.getAnnotation(BrowserAction.ActionName.class).value();
        return tool(name, description, schema, readOnly, false, arguments -> act(actionType, arguments));
    }

    private SyncToolSpecification tool(String name, String description, Map<String, Object> schema, boolean readOnly,
                                       boolean destructive, Function<Map<String, Object>, McpSchema.CallToolResult> work) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, schema).description(description)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(readOnly).destructiveHint(destructive)
                        .openWorldHint(true).build())
                .build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((context, request) -> {
                    Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
                    ScheduledFuture<?> ticks = context.get(McpProgress.KEY) instanceof McpProgress progress
                            ? ticking(name, arguments, progress) : null;
                    try {
                        return call(name, arguments, work);
                    } finally {
                        if (ticks != null) {
                            ticks.cancel(false);
                        }
                    }
                })
                .build();
    }

    /**
     * A {@code notifications/progress} every {@value #PROGRESS_SECONDS} s while a call whose client asked for progress
     * runs: the seconds so far, out of a {@code wait_for}'s {@code time} when it gives one (the others cannot say how
     * long they will take). A call done within the first interval sends none.
     */
    private ScheduledFuture<?> ticking(String name, Map<String, Object> arguments, McpProgress progress) {
        long started = System.nanoTime();
        Double total = "wait_for".equals(name) && arguments.get("time") instanceof Number time ? time.doubleValue() : null;
        return ticker.scheduleAtFixedRate(() -> {
            long seconds = Math.round((System.nanoTime() - started) / 1e9);
            progress.send(seconds, total, name + " running for " + seconds + " s");
        }, PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stopTicking() {
        ticker.shutdownNow();
    }

    /** Runs one tool call: charged, observed, and every failure turned into an error result. */
    private McpSchema.CallToolResult call(String name, Map<String, Object> arguments,
                                          Function<Map<String, Object>, McpSchema.CallToolResult> work) {
        Observation observation = Observation.createNotStarted("mcp.tool.call", observations)
                .lowCardinalityKeyValue("tool", name).start();
        McpSchema.CallToolResult result;
        try (Observation.Scope scope = observation.openScope()) {
            OptionalLong wait = charge(name, arguments);
            result = wait.isPresent() ? results.problem(rateLimited(wait.getAsLong())) : work.apply(arguments);
        } catch (ErrorResponseException refused) {
            result = results.problem(refused);
        } catch (JacksonException wrongShape) {
            result = results.problem(invalid(Map.of(field(wrongShape), "has the wrong type")));
        } catch (DataAccessException unavailable) {
            log.warn("MCP tool {} failed: database unavailable ({})", name, unavailable.getClass().getSimpleName());
            result = results.problem(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                    "The database is unavailable; retry in a few seconds"));
        } catch (RuntimeException failure) {
            log.error("MCP tool {} failed", name, failure);
            telemetry.exception(failure, Map.of("tool", name));
            result = results.problem(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
                    "The tool failed unexpectedly; the service logged it"));
        }
        observation.lowCardinalityKeyValue("outcome", Boolean.TRUE.equals(result.isError()) ? "error" : "success").stop();
        return result;
    }

    /** Takes a token from the bucket the tool's REST route spends, for the caller of this request. */
    private OptionalLong charge(String name, Map<String, Object> arguments) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet)) {
            return OptionalLong.empty();
        }
        String[] route = ROUTES.get(name).split(" ", 2);
        String path = route[1].replace("{agent_id}", segment(arguments.get("agent_id")))
                .replace("{task_id}", segment(arguments.get("task_id")));
        HttpServletRequest request = servlet.getRequest();
        return rateLimit.charge(request, route[0], path);
    }

    private static String segment(Object value) {
        return value instanceof String s && s.matches("[A-Za-z0-9_.-]{1,255}") ? s : "_";
    }

    private McpSchema.CallToolResult listAgents(Map<String, Object> arguments) {
        Map<String, String> errors = new LinkedHashMap<>();
        AgentStatus status = null;
        Object statusArgument = arguments.get("status");
        if (statusArgument != null) {
            status = statusArgument instanceof String s ? AgentStatus.of(s).orElse(null) : null;
            if (status == null) {
                errors.put("status", "must be one of created, starting, running, stopped, error");
            }
        }
        int page = integer(arguments, "page", 0, 0, 1_000_000, errors);
        int size = integer(arguments, "size", 20, 1, 100, errors);
        Object cursor = arguments.get("cursor");
        if (cursor != null && !(cursor instanceof String)) {
            errors.put("cursor", "must be the `next` of an earlier list_agents page");
        } else if (cursor != null && arguments.get("page") != null) {
            errors.put("cursor", "give either cursor or page, not both");
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Object listing = agents.list(status, cursor == null ? page : null, (String) cursor, size, false);
        return results.json(listing);
    }

    private McpSchema.CallToolResult createAgent(Map<String, Object> arguments) {
        CreateAgentRequest request = json.convertValue(arguments, CreateAgentRequest.class);
        Map<String, String> errors = violations(validator.validate(request));
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        AgentView agent = agents.create(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("agent_id", agent.agentId());
        body.put("status", agent.status());
        body.put("persisted", true);
        body.put("agent", agent);
        return results.json(body);
    }

    private McpSchema.CallToolResult deleteAgent(Map<String, Object> arguments) {
        String id = requiredString(arguments, "agent_id");
        agents.delete(id);
        return results.json(Map.of("success", true, "agent_id", id));
    }

    private McpSchema.CallToolResult act(String type, Map<String, Object> arguments) {
        String id = requiredString(arguments, "agent_id");
        Map<String, Object> fields = new LinkedHashMap<>(arguments);
        fields.remove("agent_id");
        fields.put("type", type);
        BrowserAction action = json.convertValue(fields, BrowserAction.class);
        ActionResult result = agents.act(id, action);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("agent_id", id);
        body.put("type", type);
        body.put("url", result.url());
        body.put("title", result.title());
        if (result.text() != null) {
            body.put(action instanceof BrowserAction.Snapshot ? "snapshot" : "text", result.text());
        }
        if (result.html() != null) {
            body.put("html", result.html());
        }
        body.putAll(result.fields());
        if (result.data() != null && (action instanceof BrowserAction.Screenshot || action instanceof BrowserAction.Pdf)) {
            // kept as the agent's last one: resources/read answers it under this URI until the next
            body.put("resource_uri", McpResources.uri(id, type));
        }
        if (result.data() != null && "image/png".equals(result.mediaType())) {
            return results.image(Base64.getEncoder().encodeToString(result.data()), body);
        }
        if (result.data() != null) {
            return results.resource(McpResources.uri(id, type), result.mediaType(), Base64.getEncoder().encodeToString(result.data()), body);
        }
        return results.json(body);
    }

    private McpSchema.CallToolResult requestHuman(Map<String, Object> arguments) {
        String id = requiredString(arguments, "agent_id");
        Map<String, String> errors = new LinkedHashMap<>();
        Object message = arguments.get("message");
        if (!(message instanceof String text) || text.isBlank()) {
            errors.put("message", "is required (a string)");
        } else if (text.length() > HumanRequestService.MAX_MESSAGE) {
            errors.put("message", "must be at most " + HumanRequestService.MAX_MESSAGE + " characters");
        }
        long maxTimeout = humanRequests.maxTimeout().toSeconds();
        int timeout = integer(arguments, "timeout_seconds", (int) maxTimeout, 1, (int) maxTimeout, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        HumanRequestService.Outcome outcome = humanRequests.request(id, (String) message, java.time.Duration.ofSeconds(timeout));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", outcome.answered());
        body.put("agent_id", id);
        body.put("outcome", outcome.outcome());
        body.put("answered", outcome.answered());
        body.put("waited_ms", outcome.waitedMs());
        body.put("held_by", outcome.heldBy());
        body.put("held_ms", outcome.heldMs());
        body.put("inputs", outcome.inputs());
        // no person came (timed out, deleted, replaced, shutting down): an error result, the body saying which
        return results.json(body, !outcome.answered());
    }

    private McpSchema.CallToolResult enqueueTask(Map<String, Object> arguments) {
        TaskRequests.Create request = json.convertValue(arguments, TaskRequests.Create.class);
        Map<String, String> errors = violations(validator.validate(request));
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        TaskQueueService.Created created = tasks.create(request, null);
        return results.json(Map.of("success", true, "task", created.task()));
    }

    private McpSchema.CallToolResult getTask(Map<String, Object> arguments) {
        return results.json(Map.of("success", true, "task", tasks.get(requiredString(arguments, "task_id"))));
    }

    private static String requiredString(Map<String, Object> arguments, String name) {
        if (arguments.get(name) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw invalid(Map.of(name, "is required (a string)"));
    }

    private static int integer(Map<String, Object> arguments, String name, int absent, int min, int max, Map<String, String> errors) {
        Object value = arguments.get(name);
        if (value == null) {
            return absent;
        }
        if (value instanceof Integer number && number >= min && number <= max) {
            return number;
        }
        errors.put(name, "must be an integer from " + min + " to " + max);
        return absent;
    }

    private static Map<String, String> violations(java.util.Set<? extends ConstraintViolation<?>> violations) {
        Map<String, String> errors = new LinkedHashMap<>();
        violations.stream().sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .forEach(v -> errors.putIfAbsent(ToolSchemas.snakeCase(v.getPropertyPath().toString()), v.getMessage()));
        return errors;
    }

    private static String field(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            }
        }
        return path.isEmpty() ? "arguments" : path.toString();
    }

    private static ErrorResponseException invalid(Map<String, String> errors) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has invalid fields");
        e.getBody().setProperty("errors", errors);
        return e;
    }

    private static ErrorResponseException rateLimited(long retryAfter) {
        return problem(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests",
                "Too many requests. Please try again in " + retryAfter + " seconds.");
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:agent-api:problem:mcp-tool"));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }

    private static Map<String, Object> agentIdSchema() {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) ToolSchemas.of(CreateAgentRequest.class).get("properties");
        @SuppressWarnings("unchecked")
        Map<String, Object> id = new LinkedHashMap<>((Map<String, Object>) properties.get("agent_id"));
        id.put("description", "The agent's id (from create_agent or list_agents)");
        return id;
    }

    private Map<String, Object> humanRequestSchema(Map<String, Object> agentId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("agent_id", agentId);
        properties.put("message", Map.of("type", "string", "minLength", 1, "maxLength", HumanRequestService.MAX_MESSAGE,
                "description", "What the person should do, shown to them in the console"));
        long maxTimeout = humanRequests.maxTimeout().toSeconds();
        properties.put("timeout_seconds", Map.of("type", "integer", "minimum", 1, "maximum", maxTimeout,
                "description", "How long to wait for a person; absent: " + maxTimeout + " (the most)"));
        return Map.of("type", "object", "properties", properties, "required", List.of("agent_id", "message"));
    }

    private static Map<String, Object> listSchema() {
        return Map.of("type", "object", "properties", Map.of(
                "status", Map.of("type", "string", "enum", Arrays.stream(AgentStatus.values()).map(AgentStatus::value).toList()),
                "page", Map.of("type", "integer", "minimum", 0, "maximum", 1_000_000),
                "cursor", Map.of("type", "string", "description", "The `next` of an earlier page: the page after it"),
                "size", Map.of("type", "integer", "minimum", 1, "maximum", 100)));
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties, "required", List.copyOf(properties.keySet()));
    }
}
