package dev.agentapi.mcp;

import dev.agentapi.agent.AgentArtifacts;
import dev.agentapi.task.TaskQueueService;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * MCP resources for what agents produced, under {@code agent://{agent_id}/...}:
 * <ul>
 * <li>{@code agent://{agent_id}/screenshot}, {@code .../pdf}: the agent's last screenshot and last PDF (kept by every
 * screenshot and pdf action, see {@link AgentArtifacts});</li>
 * <li>{@code agent://{agent_id}/trace}: its stored Playwright trace (trace_stop), until it expires;</li>
 * <li>{@code agent://{agent_id}/tasks/{task_id}/result/{step}}: a step attachment of a {@code browser.actions} task on
 * the agent (the REST {@code GET /api/agents/mcp/tasks/{task_id}/result/{step}}).</li>
 * </ul>
 * {@code resources/list} lists the caller's own agents' resources, an admin's too (only their own: an admin's client
 * would otherwise be handed every user's screenshots), newest first, {@value #LIST_LIMIT} a page (MCP's cursor). {@code resources/read}
 * answers base64 contents with the media type for an agent the caller may see (its owner, or an admin, as REST); any
 * other URI of the scheme, another owner's included, is the same resource-not-found error, so nothing tells whether
 * it exists. A URI that is not of the scheme is an invalid-params error. The SDK's own {@code resources/list} serves a
 * fixed list for every caller, so these two are answered here, on the request's thread as tools are (the caller's
 * security context); the templates are the SDK's ({@link #templates()}).
 */
@Component
class McpResources {

    private static final Logger log = LoggerFactory.getLogger(McpResources.class);
    /** At most this many resources in one page of resources/list (its nextCursor asks for the next). */
    static final int LIST_LIMIT = 200;
    private static final String SCHEME = "agent://";
    private static final String ID = "[A-Za-z0-9_.-]{1,255}";
    private static final Pattern URI = Pattern.compile("agent://(" + ID + ")/(?:(screenshot|pdf|trace)|tasks/(" + ID + ")/result/(\\d{1,9}))");
    private static final String SHAPES = "agent://{agent_id}/screenshot, agent://{agent_id}/pdf, agent://{agent_id}/trace "
            + "or agent://{agent_id}/tasks/{task_id}/result/{step}";

    private final AgentArtifacts artifacts;
    private final TaskQueueService tasks;
    private final long maxBytes;

    McpResources(AgentArtifacts artifacts, TaskQueueService tasks, McpProperties properties) {
        this.artifacts = artifacts;
        this.tasks = tasks;
        this.maxBytes = properties.maxResourceSize().toBytes();
    }

    static String uri(String agentId, String kind) {
        return SCHEME + agentId + "/" + kind;
    }

    /** Whether this class answers the method rather than the SDK. */
    static boolean answers(String method) {
        return McpSchema.METHOD_RESOURCES_LIST.equals(method) || McpSchema.METHOD_RESOURCES_READ.equals(method);
    }

    /** resources/list or resources/read, answered as the JSON-RPC response to {@code request}. */
    McpSchema.JSONRPCResponse handle(McpSchema.JSONRPCRequest request) {
        try {
            Object result = McpSchema.METHOD_RESOURCES_LIST.equals(request.method()) ? list(cursorParam(request.params()))
                    : read(uriParam(request.params()));
            return McpSchema.JSONRPCResponse.result(request.id(), result);
        } catch (McpError refused) {
            return McpSchema.JSONRPCResponse.error(request.id(), refused.getJsonRpcError());
        } catch (DataAccessException unavailable) {
            log.warn("MCP {} failed: database unavailable ({})", request.method(), unavailable.getClass().getSimpleName());
            return McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INTERNAL_ERROR, "The database is unavailable; retry in a few seconds", null));
        }
    }

    /**
     * A page of at most {@value #LIST_LIMIT} resources, newest first and then by URI, after {@code after} (the cursor
     * of the page before; null for the first page); {@code nextCursor} is set when there may be more.
     */
    McpSchema.ListResourcesResult list(@Nullable Position after) {
        record Listed(Position at, McpSchema.Resource resource) {
        }
        Instant afterAt = after == null ? null : after.at();
        String afterUri = after == null ? null : after.uri();
        List<Listed> listed = new ArrayList<>();
        for (AgentArtifacts.Artifact artifact : artifacts.listOwn(LIST_LIMIT + 1, afterAt, afterUri)) {
            String uri = uri(artifact.agentId(), artifact.kind());
            listed.add(new Listed(new Position(artifact.at(), uri), McpSchema.Resource.builder()
                    .uri(uri)
                    .name(artifact.agentId() + " " + artifact.kind())
                    .title(title(artifact.kind()) + " of agent " + artifact.agentId())
                    .description(description(artifact.kind()) + " (" + artifact.at() + ")")
                    .mimeType(artifact.mediaType()).size(artifact.sizeBytes()).build()));
        }
        for (TaskQueueService.AgentAttachment attachment : tasks.agentAttachments(LIST_LIMIT + 1, afterAt, afterUri)) {
            String uri = SCHEME + attachment.agentId() + "/tasks/" + attachment.taskId() + "/result/" + attachment.step();
            listed.add(new Listed(new Position(attachment.createdAt(), uri), McpSchema.Resource.builder()
                    .uri(uri)
                    .name(attachment.taskId() + " step " + attachment.step())
                    .title("Step " + attachment.step() + " of task " + attachment.taskId() + " on agent " + attachment.agentId())
                    .description("A browser.actions step's result (" + attachment.createdAt() + ")")
                    .mimeType(attachment.mediaType()).size(attachment.sizeBytes()).build()));
        }
        List<Listed> ordered = listed.stream().sorted(Comparator.comparing(Listed::at)).toList();
        List<Listed> page = ordered.subList(0, Math.min(LIST_LIMIT, ordered.size()));
        String next = ordered.size() > LIST_LIMIT ? page.get(page.size() - 1).at().cursor() : null;
        return new McpSchema.ListResourcesResult(page.stream().map(Listed::resource).toList(), next);
    }

    /**
     * A place in the list's order (newest first, then by URI as {@link String#compareTo} orders it, as the queries'
     * {@code "C"} collation does), and the opaque cursor that names it: base64url of the time in epoch microseconds
     * (PostgreSQL's precision) and the URI.
     */
    record Position(Instant at, String uri) implements Comparable<Position> {

        private static final Pattern CURSOR = Pattern.compile("(-?\\d{1,19}) (agent://\\S{1,2000})");

        @Override
        public int compareTo(Position other) {
            int byTime = other.at.compareTo(at);
            return byTime != 0 ? byTime : uri.compareTo(other.uri);
        }

        String cursor() {
            long micros = java.util.concurrent.TimeUnit.SECONDS.toMicros(at.getEpochSecond()) + at.getNano() / 1_000;
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + " " + uri).getBytes(StandardCharsets.UTF_8));
        }

        /** The place a cursor names, or empty when it is not one of ours. */
        static java.util.Optional<Position> of(String cursor) {
            try {
                Matcher parts = CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
                if (!parts.matches()) {
                    return java.util.Optional.empty();
                }
                long micros = Long.parseLong(parts.group(1));
                return java.util.Optional.of(new Position(Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS), parts.group(2)));
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException notOurs) {
                return java.util.Optional.empty();
            }
        }
    }

    McpSchema.ReadResourceResult read(String uri) {
        Matcher parts = URI.matcher(uri);
        if (!parts.matches()) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                    "uri must be " + SHAPES, Map.of("uri", uri.length() > 300 ? uri.substring(0, 300) : uri)));
        }
        String agentId = parts.group(1);
        String mediaType;
        long size;
        byte[] data;
        try {
            if (parts.group(2) != null) {
                AgentArtifacts.Content content = artifacts.read(agentId, parts.group(2), maxBytes).orElseThrow(() -> notFound(uri));
                mediaType = content.mediaType();
                size = content.sizeBytes();
                data = content.data();
            } else {
                TaskQueueService.AttachmentContent content = tasks.agentAttachment(agentId, parts.group(3),
                        Integer.parseInt(parts.group(4)), maxBytes).orElseThrow(() -> notFound(uri));
                mediaType = content.mediaType();
                size = content.sizeBytes();
                data = content.data();
            }
        } catch (ErrorResponseException refused) {
            if (refused.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                throw notFound(uri); // a missing agent, or one the caller may not see: the same answer
            }
            throw refused;
        }
        if (data == null) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_REQUEST,
                    "The resource is " + size + " bytes, more than resources/read serves (" + maxBytes + "); download it over "
                            + "REST: " + download(parts), Map.of("uri", uri, "size", size)));
        }
        return new McpSchema.ReadResourceResult(List.of(
                new McpSchema.BlobResourceContents(uri, mediaType, Base64.getEncoder().encodeToString(data))));
    }

    /** The resource templates, as the SDK lists them (resources/templates/list); reading through them is {@link #read}. */
    List<SyncResourceTemplateSpecification> templates() {
        List<SyncResourceTemplateSpecification> templates = new ArrayList<>();
        for (String kind : AgentArtifacts.KINDS) {
            templates.add(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder()
                    .uriTemplate(SCHEME + "{agent_id}/" + kind).name("agent-" + kind).title(title(kind) + " of an agent")
                    .description(description(kind)).mimeType(mediaType(kind)).build(),
                    (context, request) -> read(request.uri())));
        }
        templates.add(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder()
                .uriTemplate(SCHEME + "{agent_id}/tasks/{task_id}/result/{step}").name("agent-task-result")
                .title("A task step's result").description("A binary result (screenshot, PDF, HTML, long text) of a step of a "
                        + "browser.actions task on the agent, by step number (the task's result.steps[n].attachment)")
                .build(), (context, request) -> read(request.uri())));
        return templates;
    }

    /** The page's cursor, null for the first page; an invalid-params error for a cursor this server did not give. */
    private static @Nullable Position cursorParam(Object params) {
        if (!(params instanceof Map<?, ?> map) || map.get("cursor") == null) {
            return null;
        }
        if (map.get("cursor") instanceof String cursor && cursor.length() <= 4_000) {
            java.util.Optional<Position> position = Position.of(cursor);
            if (position.isPresent()) {
                return position.get();
            }
        }
        throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                "params.cursor must be a nextCursor from an earlier resources/list", null));
    }

    private static String uriParam(Object params) {
        if (params instanceof Map<?, ?> map && map.get("uri") instanceof String uri && !uri.isBlank()) {
            return uri;
        }
        throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                "params.uri is required (a string): " + SHAPES, null));
    }

    private static McpError notFound(String uri) {
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND,
                "Resource not found", Map.of("uri", uri)));
    }

    private static String download(Matcher parts) {
        return parts.group(2) == null ? "GET /api/agents/mcp/tasks/" + parts.group(3) + "/result/" + parts.group(4)
                : "trace".equals(parts.group(2)) ? "GET /api/agents/browser/" + parts.group(1) + "/trace"
                : "the " + parts.group(2) + " action";
    }

    private static String title(String kind) {
        return switch (kind) {
            case "screenshot" -> "Last screenshot";
            case "pdf" -> "Last PDF";
            default -> "Stored trace";
        };
    }

    private static String description(String kind) {
        return switch (kind) {
            case "screenshot" -> "The agent's last screenshot (PNG), from its latest screenshot action";
            case "pdf" -> "The agent's last PDF, from its latest pdf action";
            default -> "The agent's last Playwright trace (a zip for Playwright's trace viewer), stored by trace_stop until it expires";
        };
    }

    private static String mediaType(String kind) {
        return switch (kind) {
            case "screenshot" -> "image/png";
            case "pdf" -> "application/pdf";
            default -> "application/zip";
        };
    }
}
