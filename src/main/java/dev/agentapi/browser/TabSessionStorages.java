package dev.agentapi.browser;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A tab's sessionStorage, which Playwright's storage state leaves out, read and put back through a DevTools session of
 * the tab ({@code DOMStorage}): never through the page's own JavaScript, which a page script could fake or watch.
 * DevTools writes sessionStorage only into a frame already on that origin, so a tab is restored by answering its first
 * load itself with an empty page on the saved URL (no request leaves, no script runs), writing the items there, and
 * reloading: the page's own scripts first run with their sessionStorage in place, and the reload adds no history
 * entry. The interception lasts that one load. Used on the session's driver thread only.
 */
final class TabSessionStorages {

    private TabSessionStorages() {
    }

    /**
     * The sessionStorage {@code tab} holds for the top-level origin it is on, as entry {@code index}; empty when it holds
     * none, is on no http(s) origin, or cannot be read (closed meanwhile).
     */
    static Optional<BrowserState.TabSessionStorage> read(BrowserContext context, Page tab, int index) {
        CDPSession devtools = null;
        try {
            devtools = context.newCDPSession(tab);
            String origin = origin(devtools);
            if (!origin.startsWith("http://") && !origin.startsWith("https://")) {
                return Optional.empty();
            }
            JsonObject answer = devtools.send("DOMStorage.getDOMStorageItems", storageId(origin));
            Map<String, String> items = new LinkedHashMap<>();
            for (JsonElement entry : answer.getAsJsonArray("entries")) {
                items.put(entry.getAsJsonArray().get(0).getAsString(), entry.getAsJsonArray().get(1).getAsString());
            }
            return items.isEmpty() ? Optional.empty() : Optional.of(new BrowserState.TabSessionStorage(index, origin, items));
        } catch (PlaywrightException | IllegalStateException unreadable) {
            return Optional.empty(); // a tab that closed or crashed meanwhile: its storage is not kept
        } finally {
            detach(devtools);
        }
    }

    /**
     * Opens {@code url} in {@code tab} (blank, new) with {@code saved} in its sessionStorage when the URL's origin is the
     * one {@code saved} was read on; otherwise (or when it cannot be written) the URL opens without it, never staying on
     * the empty page. Fails as {@link Page#navigate} does.
     */
    static void open(BrowserContext context, Page tab, String url, BrowserState.TabSessionStorage saved, double timeoutMs) {
        boolean[] answered = {false};
        Predicate<String> every = any -> true;
        Consumer<Route> placeholder = route -> {
            if (!answered[0] && route.request().isNavigationRequest() && route.request().frame() == tab.mainFrame()) {
                answered[0] = true;
                route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/html").setBody(""));
            } else {
                route.fallback();
            }
        };
        tab.route(every, placeholder);
        try {
            tab.navigate(url, new Page.NavigateOptions().setTimeout(timeoutMs));
            if (answered[0]) {
                write(context, tab, saved);
            }
        } catch (PlaywrightException notWritten) {
            if (!answered[0]) {
                throw notWritten; // the load itself failed
            } // else the storage could not be written: the page still loads, without it
        } finally {
            tab.unroute(every, placeholder);
        }
        if (answered[0]) {
            tab.reload(new Page.ReloadOptions().setTimeout(timeoutMs));
        }
    }

    /** Writes {@code saved} into the tab's sessionStorage if the tab is on its origin. */
    private static void write(BrowserContext context, Page tab, BrowserState.TabSessionStorage saved) {
        CDPSession devtools = context.newCDPSession(tab);
        try {
            if (!saved.origin().equals(origin(devtools))) {
                return; // the URL's origin is not the one the storage belongs to: it is not handed to another site
            }
            for (Map.Entry<String, String> item : saved.items().entrySet()) {
                JsonObject set = storageId(saved.origin());
                set.addProperty("key", item.getKey());
                set.addProperty("value", item.getValue());
                devtools.send("DOMStorage.setDOMStorageItem", set);
            }
        } finally {
            detach(devtools);
        }
    }

    /** The top-level origin the tab is on, as the browser serializes it ({@code http://host[:port]}, {@code null} if opaque). */
    private static String origin(CDPSession devtools) {
        JsonObject frame = devtools.send("Page.getFrameTree").getAsJsonObject("frameTree").getAsJsonObject("frame");
        return frame.has("securityOrigin") ? frame.get("securityOrigin").getAsString() : "";
    }

    private static JsonObject storageId(String origin) {
        JsonObject id = new JsonObject();
        id.addProperty("securityOrigin", origin);
        id.addProperty("isLocalStorage", false);
        JsonObject params = new JsonObject();
        params.add("storageId", id);
        return params;
    }

    private static void detach(CDPSession devtools) {
        if (devtools == null) {
            return;
        }
        try {
            devtools.detach();
        } catch (PlaywrightException gone) {
            // the tab, or the session, is gone already
        }
    }
}
