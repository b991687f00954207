package dev.agentapi.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserChannel;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Response envelopes of the seed-compatible agent API. */
final class AgentResponses {

    private AgentResponses() {
    }

    @Schema(name = "AgentCreated")
    record Created(boolean success, String agentId, AgentStatus status, boolean persisted, AgentView agent) {
        Created(AgentView agent) {
            this(true, agent.agentId(), agent.status(), true, agent);
        }
    }

    /**
     * A list page. {@code page} is null for a page asked for by cursor; {@code total} is exact when
     * {@code total_exact}, else PostgreSQL's estimate; {@code next} is the cursor of the next page (null on the last).
     */
    @Schema(name = "AgentList")
    record Listing(List<ListedAgent> agents, int count, @Nullable Integer page, int size, long total, boolean totalExact,
                   @Nullable @Schema(description = "The cursor of the next page; null on the last") String next) {
    }

    /**
     * A list item: the agent without its {@code config} (read one agent for that), plus the seed's {@code id}
     * (the same value as {@code agent_id}) for its clients.
     */
    @Schema(name = "AgentListItem", description = "An agent without its config (read the agent for that)")
    record ListedAgent(@Schema(description = "The same as agent_id (the seed's name)") String id, String agentId,
                       AgentStatus status, @Nullable String statusReason, BrowserChannel channel,
                       @Nullable BrowserChannel effectiveChannel, boolean headless, AgentView.Viewport viewport,
                       @Nullable String userAgent, @Nullable String createdBy, Instant createdAt, Instant updatedAt,
                       long totalActions, long totalErrors, @Nullable Instant lastActionAt, long version) {
        ListedAgent(AgentSummary agent) {
            this(agent.getId(), agent.getId(), agent.getStatus(), agent.getStatusReason(), agent.getChannel(),
                    agent.getEffectiveChannel(), agent.isHeadless(),
                    new AgentView.Viewport(agent.getViewportWidth(), agent.getViewportHeight()), agent.getUserAgent(),
                    agent.getCreatedBy(), agent.getCreatedAt(), agent.getUpdatedAt(), agent.getTotalActions(),
                    agent.getTotalErrors(), agent.getLastActionAt(), agent.getVersion() == null ? 0 : agent.getVersion());
        }
    }

    /**
     * An action's JSON answer: the page's url and title afterwards, and what the action produced, one record per
     * kind of product so the document can say which fields each {@code type} answers. Binary products travel
     * base64-encoded (Jackson writes {@code byte[]} so) unless the client asked for the raw media type.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ActionResult", discriminatorProperty = "type",
            oneOf = {PageResult.class, TextResult.class, ContentResult.class, SnapshotResult.class, ScreenshotResult.class, PdfResult.class,
                    TabsResult.class, DialogResult.class, ConsoleResult.class, NetworkResult.class, CookiesResult.class,
                    StorageStateResult.class, EvaluateResult.class},
            discriminatorMapping = {
                    @DiscriminatorMapping(value = "navigate", schema = PageResult.class),
                    @DiscriminatorMapping(value = "click", schema = PageResult.class),
                    @DiscriminatorMapping(value = "fill", schema = PageResult.class),
                    @DiscriminatorMapping(value = "press", schema = PageResult.class),
                    @DiscriminatorMapping(value = "hover", schema = PageResult.class),
                    @DiscriminatorMapping(value = "fill_form", schema = PageResult.class),
                    @DiscriminatorMapping(value = "select_option", schema = PageResult.class),
                    @DiscriminatorMapping(value = "type", schema = PageResult.class),
                    @DiscriminatorMapping(value = "press_key", schema = PageResult.class),
                    @DiscriminatorMapping(value = "drag", schema = PageResult.class),
                    @DiscriminatorMapping(value = "navigate_back", schema = PageResult.class),
                    @DiscriminatorMapping(value = "navigate_forward", schema = PageResult.class),
                    @DiscriminatorMapping(value = "resize", schema = PageResult.class),
                    @DiscriminatorMapping(value = "wait_for", schema = PageResult.class),
                    @DiscriminatorMapping(value = "text", schema = TextResult.class),
                    @DiscriminatorMapping(value = "content", schema = ContentResult.class),
                    @DiscriminatorMapping(value = "snapshot", schema = SnapshotResult.class),
                    @DiscriminatorMapping(value = "screenshot", schema = ScreenshotResult.class),
                    @DiscriminatorMapping(value = "pdf", schema = PdfResult.class),
                    @DiscriminatorMapping(value = "tabs", schema = TabsResult.class),
                    @DiscriminatorMapping(value = "handle_dialog", schema = DialogResult.class),
                    @DiscriminatorMapping(value = "console_messages", schema = ConsoleResult.class),
                    @DiscriminatorMapping(value = "network_requests", schema = NetworkResult.class),
                    @DiscriminatorMapping(value = "cookies", schema = CookiesResult.class),
                    @DiscriminatorMapping(value = "storage_state", schema = StorageStateResult.class),
                    @DiscriminatorMapping(value = "file_upload", schema = PageResult.class),
                    @DiscriminatorMapping(value = "evaluate", schema = EvaluateResult.class)})
    sealed interface ActionDone permits PageResult, TextResult, ContentResult, SnapshotResult, ScreenshotResult, PdfResult,
            TabsResult, DialogResult, ConsoleResult, NetworkResult, CookiesResult, StorageStateResult, EvaluateResult {

        static ActionDone of(String agentId, BrowserAction action, ActionResult result) {
            String type = action.type();
            if (action instanceof BrowserAction.Text) {
                return new TextResult(true, agentId, type, result.url(), result.title(), result.text());
            }
            if (action instanceof BrowserAction.Content) {
                return new ContentResult(true, agentId, type, result.url(), result.title(), result.html());
            }
            if (action instanceof BrowserAction.Snapshot) {
                return new SnapshotResult(true, agentId, type, result.url(), result.title(), result.text());
            }
            if (action instanceof BrowserAction.Screenshot) {
                return new ScreenshotResult(true, agentId, type, result.url(), result.title(), result.data());
            }
            if (action instanceof BrowserAction.Pdf) {
                return new PdfResult(true, agentId, type, result.url(), result.title(), result.data());
            }
            Map<String, Object> fields = result.fields();
            if (action instanceof BrowserAction.Tabs) {
                return new TabsResult(true, agentId, type, result.url(), result.title(), list(fields.get("tabs"), Tab::of),
                        ((Number) fields.get("active")).intValue());
            }
            if (action instanceof BrowserAction.HandleDialog) {
                return new DialogResult(true, agentId, type, result.url(), result.title(), (String) fields.get("armed"),
                        list(fields.get("dialogs"), Dialog::of));
            }
            if (action instanceof BrowserAction.ConsoleMessages) {
                return new ConsoleResult(true, agentId, type, result.url(), result.title(), list(fields.get("messages"), ConsoleEntry::of));
            }
            if (action instanceof BrowserAction.NetworkRequests) {
                return new NetworkResult(true, agentId, type, result.url(), result.title(), list(fields.get("requests"), NetworkEntry::of));
            }
            if (action instanceof BrowserAction.Cookies) {
                return new CookiesResult(true, agentId, type, result.url(), result.title(),
                        fields.containsKey("cookies") ? list(fields.get("cookies"), CookieEntry::of) : null,
                        fields.get("added") == null ? null : ((Number) fields.get("added")).intValue(),
                        (Boolean) fields.get("cleared"));
            }
            if (action instanceof BrowserAction.StorageState) {
                return new StorageStateResult(true, agentId, type, result.url(), result.title(), fields.get("storage_state"));
            }
            if (action instanceof BrowserAction.Evaluate) {
                return new EvaluateResult(true, agentId, type, result.url(), result.title(), (String) fields.get("result"));
            }
            return new PageResult(true, agentId, type, result.url(), result.title());
        }
    }

    /** A list of the browser's entries (maps, as they also cross between replicas as JSON) as the typed records the document names. */
    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value, java.util.function.Function<Map<String, Object>, T> entry) {
        return value == null ? List.of() : ((List<Map<String, Object>>) value).stream().map(entry).toList();
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    private static Double decimal(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    @Schema(name = "PageActionResult", description = "navigate, click, fill, press, hover, fill_form, select_option, type, press_key, drag, "
            + "navigate_back, navigate_forward, resize, wait_for, file_upload: the page afterwards",
            requiredProperties = {"success", "agent_id", "type", "url", "title"})
    record PageResult(boolean success, String agentId,
                      @Schema(allowableValues = {"navigate", "click", "fill", "press", "hover", "fill_form", "select_option", "type", "press_key",
                              "drag", "navigate_back", "navigate_forward", "resize", "wait_for", "file_upload"}) String type,
                      String url, String title) implements ActionDone {
    }

    @Schema(name = "TextActionResult", description = "The visible text of the selected element, or of the page",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "text"})
    record TextResult(boolean success, String agentId, @Schema(allowableValues = "text") String type, String url,
                      String title, String text) implements ActionDone {
    }

    @Schema(name = "ContentActionResult", description = "The page's HTML",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "html"})
    record ContentResult(boolean success, String agentId, @Schema(allowableValues = "content") String type, String url,
                         String title, String html) implements ActionDone {
    }

    @Schema(name = "SnapshotActionResult", description = "The accessibility tree in Playwright's ARIA snapshot YAML, at most 64 Ki characters",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "snapshot"})
    record SnapshotResult(boolean success, String agentId, @Schema(allowableValues = "snapshot") String type, String url,
                          String title, String snapshot) implements ActionDone {
    }

    @Schema(name = "ScreenshotActionResult", description = "A PNG image, base64-encoded",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "screenshot"})
    record ScreenshotResult(boolean success, String agentId, @Schema(allowableValues = "screenshot") String type,
                            String url, String title, byte[] screenshot) implements ActionDone {
    }

    @Schema(name = "PdfActionResult", description = "A PDF document, base64-encoded",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "pdf"})
    record PdfResult(boolean success, String agentId, @Schema(allowableValues = "pdf") String type, String url,
                     String title, byte[] pdf) implements ActionDone {
    }

    @Schema(name = "TabsActionResult", description = "The agent's tabs after the tabs action; url and title are the active tab's",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "tabs", "active"})
    record TabsResult(boolean success, String agentId, @Schema(allowableValues = "tabs") String type, String url, String title,
                      List<Tab> tabs,
                      @Schema(description = "The index of the active tab") int active) implements ActionDone {
    }

    @Schema(name = "Tab", requiredProperties = {"index", "url", "title", "active"})
    record Tab(int index, String url, String title, boolean active) {
        static Tab of(Map<String, Object> tab) {
            return new Tab(((Number) tab.get("index")).intValue(), (String) tab.get("url"), (String) tab.get("title"),
                    Boolean.TRUE.equals(tab.get("active")));
        }
    }

    @Schema(name = "HandleDialogActionResult", description = "What the next dialog gets, and the dialogs answered since the last handle_dialog",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "armed", "dialogs"})
    record DialogResult(boolean success, String agentId, @Schema(allowableValues = "handle_dialog") String type, String url,
                        String title, @Schema(allowableValues = {"accept", "dismiss"}) String armed,
                        List<Dialog> dialogs) implements ActionDone {
    }

    @Schema(name = "Dialog", requiredProperties = {"type", "message", "accepted"})
    record Dialog(@Schema(description = "alert, confirm, prompt or beforeunload") String type,
                  @Schema(description = "At most 2000 characters") String message, boolean accepted) {
        static Dialog of(Map<String, Object> dialog) {
            return new Dialog((String) dialog.get("type"), (String) dialog.get("message"), Boolean.TRUE.equals(dialog.get("accepted")));
        }
    }

    @Schema(name = "ConsoleMessagesActionResult", description = "The active tab's console messages, oldest first (at most 200)",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "messages"})
    record ConsoleResult(boolean success, String agentId, @Schema(allowableValues = "console_messages") String type, String url,
                         String title, List<ConsoleEntry> messages)
            implements ActionDone {
    }

    @Schema(name = "ConsoleMessage", requiredProperties = {"type", "text"})
    record ConsoleEntry(@Schema(description = "log, info, warning, error, debug, ...") String type,
                        @Schema(description = "At most 2000 characters") String text) {
        static ConsoleEntry of(Map<String, Object> message) {
            return new ConsoleEntry((String) message.get("type"), (String) message.get("text"));
        }
    }

    @Schema(name = "NetworkRequestsActionResult", description = "The active tab's finished and failed requests, oldest first (at most 200)",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "requests"})
    record NetworkResult(boolean success, String agentId, @Schema(allowableValues = "network_requests") String type, String url,
                         String title, List<NetworkEntry> requests)
            implements ActionDone {
    }

    @Schema(name = "NetworkRequest", requiredProperties = {"method", "url", "resource_type"})
    record NetworkEntry(String method, @Schema(description = "Redacted: no user info or fragment; credential-like query values replaced")
                        String url, String resourceType, @Nullable Integer status, @Nullable String failure) {
        static NetworkEntry of(Map<String, Object> request) {
            return new NetworkEntry((String) request.get("method"), (String) request.get("url"), (String) request.get("resource_type"),
                    integer(request.get("status")), (String) request.get("failure"));
        }
    }

    @Schema(name = "CookiesActionResult", description = "get: the context's cookies; add: how many were added; clear: cleared",
            requiredProperties = {"success", "agent_id", "type", "url", "title"})
    record CookiesResult(boolean success, String agentId, @Schema(allowableValues = "cookies") String type, String url, String title,
                         @Nullable List<CookieEntry> cookies,
                         @Nullable Integer added, @Nullable Boolean cleared) implements ActionDone {
    }

    @Schema(name = "CookieEntry", requiredProperties = {"name", "value", "domain", "path"})
    record CookieEntry(String name, String value, String domain, String path,
                       @Schema(description = "Unix time in seconds; -1 for a session cookie") @Nullable Double expires,
                       @Nullable Boolean httpOnly, @Nullable Boolean secure, @Nullable String sameSite) {
        static CookieEntry of(Map<String, Object> cookie) {
            return new CookieEntry((String) cookie.get("name"), (String) cookie.get("value"), (String) cookie.get("domain"),
                    (String) cookie.get("path"), decimal(cookie.get("expires")), (Boolean) cookie.get("http_only"),
                    (Boolean) cookie.get("secure"), (String) cookie.get("same_site"));
        }
    }

    @Schema(name = "StorageStateActionResult", description = "The live context's storage state as Playwright reads it (cookies, origins)",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "storage_state"})
    record StorageStateResult(boolean success, String agentId, @Schema(allowableValues = "storage_state") String type, String url,
                              String title, @Schema(type = "object", description = "{cookies: [...], origins: [{origin, localStorage}]}")
                              Object storageState) implements ActionDone {
    }

    @Schema(name = "EvaluateActionResult", description = "The script's value as JSON text (undefined when it has none)",
            requiredProperties = {"success", "agent_id", "type", "url", "title", "result"})
    record EvaluateResult(boolean success, String agentId, @Schema(allowableValues = "evaluate") String type, String url,
                          String title, String result) implements ActionDone {
    }

    @Schema(name = "AgentDeleted")
    record Deleted(boolean success, String agentId) {
        Deleted(String agentId) {
            this(true, agentId);
        }
    }
}
