package dev.agentapi.agent;

import dev.agentapi.browser.BrowserState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Between the browser's {@link BrowserState} (Playwright's storage state JSON, camelCase, as Playwright writes and
 * reads it, and the tabs' sessionStorage beside it) and the API's {@link SavedBrowserState}. Only the fields named there cross: what else a Playwright
 * version adds is dropped, not carried blind.
 */
final class BrowserStateJson {

    /** Playwright's own field names: no naming strategy. */
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    private BrowserStateJson() {
    }

    static SavedBrowserState fromBrowser(BrowserState state) {
        JsonNode storage = state.storageState() == null ? PLAIN.createObjectNode() : PLAIN.readTree(state.storageState());
        List<SavedBrowserState.Cookie> cookies = new ArrayList<>();
        for (JsonNode c : storage.path("cookies")) {
            cookies.add(new SavedBrowserState.Cookie(c.path("name").asString(""), c.path("value").asString(""),
                    c.path("domain").asString(""), c.path("path").asString("/"),
                    c.hasNonNull("expires") ? c.get("expires").asDouble() : null,
                    c.hasNonNull("httpOnly") ? c.get("httpOnly").asBoolean() : null,
                    c.hasNonNull("secure") ? c.get("secure").asBoolean() : null,
                    c.hasNonNull("sameSite") ? c.get("sameSite").asString() : null,
                    c.hasNonNull("partitionKey") ? c.get("partitionKey").asString() : null));
        }
        List<SavedBrowserState.OriginStorage> origins = new ArrayList<>();
        for (JsonNode o : storage.path("origins")) {
            List<SavedBrowserState.StorageItem> items = new ArrayList<>();
            for (JsonNode item : o.path("localStorage")) {
                items.add(new SavedBrowserState.StorageItem(item.path("name").asString(""), item.path("value").asString("")));
            }
            origins.add(new SavedBrowserState.OriginStorage(o.path("origin").asString(""), items));
        }
        SavedBrowserState.Viewport viewport = state.viewportWidth() == null || state.viewportHeight() == null ? null
                : new SavedBrowserState.Viewport(state.viewportWidth(), state.viewportHeight());
        int active = state.activeTab() >= 0 && state.activeTab() < state.tabs().size() ? state.activeTab() : 0;
        List<SavedBrowserState.TabSessionStorage> sessionStorage = state.sessionStorage().stream()
                .map(tab -> new SavedBrowserState.TabSessionStorage(tab.tab(), tab.origin(), tab.items().entrySet().stream()
                        .map(item -> new SavedBrowserState.StorageItem(item.getKey(), item.getValue())).toList()))
                .toList();
        return new SavedBrowserState(new SavedBrowserState.StorageState(cookies, origins), state.tabs(), active, viewport,
                sessionStorage);
    }

    static BrowserState toBrowser(SavedBrowserState saved) {
        Map<String, Object> storage = new LinkedHashMap<>();
        List<Map<String, Object>> cookies = new ArrayList<>();
        for (SavedBrowserState.Cookie c : saved.storageState().cookies()) {
            Map<String, Object> cookie = new LinkedHashMap<>();
            cookie.put("name", c.name());
            cookie.put("value", c.value());
            cookie.put("domain", c.domain());
            cookie.put("path", c.path());
            cookie.put("expires", c.expires() == null ? -1 : c.expires());
            cookie.put("httpOnly", Boolean.TRUE.equals(c.httpOnly()));
            cookie.put("secure", Boolean.TRUE.equals(c.secure()));
            cookie.put("sameSite", c.sameSite() == null ? "Lax" : c.sameSite());
            if (c.partitionKey() != null) {
                cookie.put("partitionKey", c.partitionKey());
            }
            cookies.add(cookie);
        }
        List<Map<String, Object>> origins = new ArrayList<>();
        for (SavedBrowserState.OriginStorage o : saved.storageState().origins()) {
            origins.add(Map.of("origin", o.origin(), "localStorage",
                    o.localStorage().stream().map(i -> Map.of("name", i.name(), "value", i.value())).toList()));
        }
        storage.put("cookies", cookies);
        storage.put("origins", origins);
        List<BrowserState.TabSessionStorage> sessionStorage = new ArrayList<>();
        for (SavedBrowserState.TabSessionStorage tab : saved.sessionStorage()) {
            Map<String, String> items = new LinkedHashMap<>();
            tab.items().forEach(item -> items.put(item.name(), item.value()));
            sessionStorage.add(new BrowserState.TabSessionStorage(tab.tab(), tab.origin(), items));
        }
        SavedBrowserState.Viewport viewport = saved.viewport();
        return new BrowserState(PLAIN.writeValueAsString(storage), saved.tabs(), saved.activeTab(),
                viewport == null ? null : viewport.width(), viewport == null ? null : viewport.height(), sessionStorage);
    }
}
