package dev.agentapi.browser;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a browser's next launch needs to carry on where it stopped: Playwright's storage state (cookies and
 * localStorage per origin, its JSON as Playwright writes and reads it), the open tabs' URLs in order, which one was
 * active, the viewport, and each tab's sessionStorage (which Playwright's storage state leaves out: it belongs to a tab,
 * not to an origin). It holds secrets (session cookies, tokens in storage): {@link #toString()} names none of it, so a
 * log line or an exception that prints it shows only its shape.
 */
public record BrowserState(String storageState, List<String> tabs, int activeTab, Integer viewportWidth, Integer viewportHeight,
                           List<TabSessionStorage> sessionStorage) {

    public BrowserState {
        tabs = tabs == null ? List.of() : List.copyOf(tabs);
        sessionStorage = sessionStorage == null ? List.of() : List.copyOf(sessionStorage);
    }

    /**
     * The sessionStorage of the tab at index {@code tab} of {@link #tabs()}, for the top-level {@code origin} it was on
     * (as the browser serializes it: {@code http://host[:port]}); {@code items} in the browser's order.
     */
    public record TabSessionStorage(int tab, String origin, Map<String, String> items) {

        public TabSessionStorage {
            items = items == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(items));
        }

        @Override
        public String toString() {
            return "TabSessionStorage[tab " + tab + ", " + items.size() + " items]";
        }
    }

    @Override
    public String toString() {
        return "BrowserState[" + tabs.size() + " tabs, storage state of " + (storageState == null ? 0 : storageState.length())
                + " characters, sessionStorage of " + sessionStorage.size() + " tabs]";
    }
}
