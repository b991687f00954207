package dev.agentapi.taskade;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * Taskade's public v1 REST API, as documented (https://www.taskade.com/api/v1, OpenAPI "Taskade Public
 * API (v1)"). Every call passes the circuit breaker; reads (GET) are retried with backoff on outages and
 * throttling, writes never are (a retried create could create twice). Failures come out as
 * {@link TaskadeFailure}s whose messages carry nothing Taskade sent.
 */
public class TaskadeClient {

    public record Workspace(String id, String name) {
    }

    public record Project(String id, String name) {
    }

    public record Task(String id, String text, String parentId, boolean completed) {
    }

    private final TaskadeProperties properties;
    private final RestClient rest;
    private final CircuitBreaker breaker;
    private final RetryTemplate reads;

    TaskadeClient(TaskadeProperties properties, RestClient rest, CircuitBreaker breaker, RetryTemplate reads) {
        this.properties = properties;
        this.rest = rest;
        this.breaker = breaker;
        this.reads = reads;
    }

    public boolean configured() {
        return properties.configured();
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** {@code GET /workspaces}. */
    public List<Workspace> workspaces() {
        return read(() -> items(rest.get().uri("/workspaces").retrieve().body(JsonNode.class),
                n -> new Workspace(text(n, "id"), text(n, "name"))));
    }

    /** {@code GET /folders/{folderId}/projects}: a workspace id names its home folder. */
    public List<Project> projects(String workspaceId) {
        return read(() -> items(rest.get().uri("/folders/{folderId}/projects", workspaceId).retrieve().body(JsonNode.class),
                TaskadeClient::project));
    }

    /** {@code GET /me/projects}: the key owner's projects, when no workspace is named. */
    public List<Project> myProjects() {
        return read(() -> items(rest.get().uri("/me/projects").retrieve().body(JsonNode.class), TaskadeClient::project));
    }

    /** {@code GET /projects/{projectId}/tasks}. */
    public List<Task> tasks(String projectId) {
        return read(() -> items(rest.get().uri("/projects/{projectId}/tasks", projectId).retrieve().body(JsonNode.class),
                TaskadeClient::task));
    }

    /** {@code POST /workspaces/{workspaceId}/projects} with markdown content (its first heading names the project). */
    public Project createProject(String workspaceId, String markdown) {
        return write(() -> project(item(rest.post().uri("/workspaces/{workspaceId}/projects", workspaceId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("contentType", "text/markdown", "content", markdown))
                .retrieve().body(JsonNode.class))));
    }

    /** {@code POST /projects/{projectId}/tasks/}: one plain-text task appended at the end of the project. */
    public Task createTask(String projectId, String text) {
        return write(() -> {
            JsonNode created = item(rest.post().uri("/projects/{projectId}/tasks/", projectId)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("tasks", List.of(Map.of("contentType", "text/plain", "content", text, "placement", "beforeend"))))
                    .retrieve().body(JsonNode.class));
            if (!created.isArray() || created.isEmpty()) {
                throw malformed();
            }
            return task(created.get(0));
        });
    }

    /** {@code PUT /projects/{projectId}/tasks/{taskId}/note}: Taskade takes one line of markdown. */
    public void putNote(String projectId, String taskId, String markdownLine) {
        write(() -> rest.put().uri("/projects/{projectId}/tasks/{taskId}/note", projectId, taskId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("type", "text/markdown", "value", markdownLine))
                .retrieve().toBodilessEntity());
    }

    /** One bounded, unretried {@code GET /workspaces} through the breaker: the readiness report's check. */
    public void ping() {
        guarded(() -> rest.get().uri("/workspaces").retrieve().toBodilessEntity());
    }

    private <T> T read(Supplier<T> call) {
        requireKey();
        try {
            return reads.execute(() -> guarded(call));
        } catch (RetryException e) {
            Throwable last = e.getLastException() != null ? e.getLastException() : e.getCause();
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw TaskadeFailure.of(TaskadeFailure.Kind.BAD_GATEWAY, "Taskade could not be reached");
        }
    }

    private <T> T write(Supplier<T> call) {
        requireKey();
        return guarded(call);
    }

    private void requireKey() {
        if (!properties.configured()) {
            throw TaskadeFailure.of(TaskadeFailure.Kind.NOT_CONFIGURED, "Taskade is not configured on this service");
        }
    }

    private <T> T guarded(Supplier<T> call) {
        try {
            return breaker.executeSupplier(() -> translated(call));
        } catch (CallNotPermittedException open) {
            return throwUnavailable();
        }
    }

    private <T> T throwUnavailable() {
        throw new TaskadeFailure(TaskadeFailure.Kind.UNAVAILABLE,
                "Taskade failed repeatedly; calls to it are paused for a while", 0,
                Math.max(1, properties.breaker().openFor().toSeconds()));
    }

    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (RestClientResponseException e) {
            int status = e.getStatusCode().value();
            if (status == 404) {
                throw new TaskadeFailure(TaskadeFailure.Kind.NOT_FOUND, "Taskade has no such item", status, null);
            }
            throw new TaskadeFailure(TaskadeFailure.Kind.BAD_GATEWAY, "Taskade answered HTTP " + status, status,
                    retryAfter(e.getResponseHeaders()));
        } catch (ResourceAccessException e) {
            if (hasCause(e, HttpTimeoutException.class) || hasCause(e, java.net.SocketTimeoutException.class)) {
                throw new TaskadeFailure(TaskadeFailure.Kind.TIMEOUT, "Taskade did not answer in time", 0, null);
            }
            throw new TaskadeFailure(TaskadeFailure.Kind.BAD_GATEWAY, "Taskade could not be reached", 0, null);
        } catch (RestClientException | tools.jackson.core.JacksonException e) {
            throw malformed();
        }
    }

    private static TaskadeFailure malformed() {
        return new TaskadeFailure(TaskadeFailure.Kind.BAD_GATEWAY, "Taskade's answer could not be read", 200, null);
    }

    private static <T> List<T> items(JsonNode body, Function<JsonNode, T> each) {
        JsonNode items = body == null ? null : body.get("items");
        if (items == null || !items.isArray()) {
            throw malformed();
        }
        List<T> result = new ArrayList<>();
        for (JsonNode node : items) {
            if (node != null && node.isObject()) {
                result.add(each.apply(node));
            }
        }
        return result;
    }

    private static JsonNode item(JsonNode body) {
        JsonNode item = body == null ? null : body.get("item");
        if (item == null || item.isNull()) {
            throw malformed();
        }
        return item;
    }

    private static Project project(JsonNode node) {
        return new Project(text(node, "id"), optionalText(node, "name"));
    }

    private static Task task(JsonNode node) {
        JsonNode completed = node.get("completed");
        return new Task(text(node, "id"), optionalText(node, "text"), optionalText(node, "parentId"),
                completed != null && completed.asBoolean(false));
    }

    private static String text(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null || value.isBlank()) {
            throw malformed();
        }
        return value;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isString() ? null : value.asString();
    }

    private static Long retryAfter(HttpHeaders headers) {
        String value = headers == null ? null : headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        try {
            return Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
