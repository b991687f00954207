package dev.agentapi.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What an agent's pages did that a client may ask about later: each page's console messages and network requests,
 * in ring buffers of {@link #MAX_ENTRIES} entries and {@link #MAX_CHARS} characters each (the oldest go first),
 * and the dialogs a {@code handle_dialog} answered. Entries are cut before they are kept ({@link #MAX_TEXT}
 * characters of a message, {@link #MAX_URL} of a URL); a page's buffers go with the page. Driver thread only.
 *
 * <p>Requests are kept as method, URL, resource type and status (or why they failed): never headers or bodies.
 * URLs are {@linkplain #redact(String) redacted}: no user info, no fragment, and the values of query parameters
 * whose names look like credentials replaced.
 *
 * <p>Dialogs: with none armed, the context has no dialog listener and Playwright dismisses every dialog itself,
 * without it reaching the service (an alert returns, a confirm answers false, a prompt null; a beforeunload is
 * accepted). {@link #arm} listens for the next one and answers it as asked, then stops listening: a page's dialog
 * (its message may be large) reaches the service only while a client waits for one.
 */
final class PageActivity {

    static final int MAX_ENTRIES = 200;
    static final int MAX_CHARS = 256 * 1024;
    static final int MAX_TEXT = 2_000;
    static final int MAX_URL = 2_000;
    /** Dialogs answered, kept for the next handle_dialog to report. */
    static final int MAX_DIALOGS = 20;
    /** Query parameter names whose values are taken for credentials. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|secret|passw|pwd|key|sig|auth|session|sid|code|credential|jwt|saml|ticket|nonce|state).*");

    private final Map<Page, Ring> console = new IdentityHashMap<>();
    private final Map<Page, Ring> network = new IdentityHashMap<>();
    private final ArrayDeque<Map<String, Object>> dialogs = new ArrayDeque<>();
    private final BrowserContext context;
    private Consumer<Dialog> armed;
    /** The action whose aftermath is being waited for, or null. */
    private Settling settling;
    /** The URL of the last main-frame navigation request that failed since {@link #forgetFailedNavigation()}. */
    private String failedNavigation;

    PageActivity(BrowserContext context) {
        this.context = context;
        // listeners run inside whatever Playwright call is dispatching events: one that threw would fail that action
        context.onConsoleMessage(quietly(this::consoleMessage));
        context.onRequest(quietly(this::requestStarted));
        context.onResponse(quietly(this::response));
        context.onRequestFinished(quietly(this::requestFinished));
        context.onRequestFailed(quietly(this::requestFailed));
        context.onPageLoad(quietly(this::loaded));
        context.onPage(page -> page.onClose(this::forget));
        context.pages().forEach(page -> page.onClose(this::forget));
    }

    /** A listener whose failure is its own: the bookkeeping of what pages did never fails the action that runs. */
    private static <T> Consumer<T> quietly(Consumer<T> listener) {
        return event -> {
            try {
                listener.accept(event);
            } catch (RuntimeException ignored) {
                // an event this bookkeeping cannot read (e.g. of a service worker): left out
            }
        };
    }

    /**
     * What an action started on {@code page}: whether it started a navigation of the main frame (and whether that
     * has loaded since), and the other requests still in flight.
     */
    private static final class Settling {
        final Page page;
        final java.util.Set<Request> pending = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        boolean navigating;
        boolean loaded;

        Settling(Page page) {
            this.page = page;
        }
    }

    /** From now until {@link #stopSettling()}, what happens on {@code page} is watched for {@link #settled()}. */
    void startSettling(Page page) {
        settling = new Settling(page);
    }

    void stopSettling() {
        settling = null;
    }

    /** The watched action's navigation (if it started one) has loaded and none of the requests it started is in flight. */
    boolean settled() {
        Settling watched = settling;
        return watched == null || ((!watched.navigating || watched.loaded) && watched.pending.isEmpty());
    }

    private void requestStarted(Request request) {
        Settling watched = settling;
        if (watched == null || pageOf(request) != watched.page) {
            return;
        }
        if (request.isNavigationRequest() && request.frame() == watched.page.mainFrame()) { // pageOf read the frame: it has one
            watched.navigating = true;
            watched.loaded = false;
        } else {
            watched.pending.add(request);
        }
    }

    private void requestFinished(Request request) {
        Settling watched = settling;
        if (watched != null) {
            watched.pending.remove(request);
        }
    }

    private void loaded(Page page) {
        Settling watched = settling;
        if (watched != null && watched.page == page && watched.navigating) {
            watched.loaded = true;
        }
    }

    private static Page pageOf(Request request) {
        try {
            return request.frame().page();
        } catch (RuntimeException serviceWorker) {
            return null; // a service worker's request has no frame (Playwright's Java client fails on it with an NPE)
        }
    }

    private void forget(Page page) {
        console.remove(page);
        network.remove(page);
    }

    private void consoleMessage(ConsoleMessage message) {
        Page page = message.page();
        if (page == null) {
            return; // a worker's
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", message.type());
        entry.put("text", cut(message.text(), MAX_TEXT));
        console.computeIfAbsent(page, p -> new Ring()).add(entry, length(entry));
    }

    private void response(Response response) {
        Request request = response.request();
        Map<String, Object> entry = request(request);
        entry.put("status", response.status());
        record(request, entry);
    }

    private void requestFailed(Request request) {
        requestFinished(request);
        if (request.isNavigationRequest() && request.frame().parentFrame() == null) {
            failedNavigation = request.url();
        }
        Map<String, Object> entry = request(request);
        entry.put("failure", cut(request.failure(), MAX_TEXT));
        record(request, entry);
    }

    private static Map<String, Object> request(Request request) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("method", request.method());
        entry.put("url", redact(request.url()));
        entry.put("resource_type", request.resourceType());
        return entry;
    }

    private void record(Request request, Map<String, Object> entry) {
        Page page = pageOf(request);
        if (page != null) {
            network.computeIfAbsent(page, p -> new Ring()).add(entry, length(entry));
        }
    }

    /** The URL of the last main-frame navigation request that failed since the action began, or null. */
    String failedNavigation() {
        return failedNavigation;
    }

    /** An action begins: a navigation that failed before it is not its own. */
    void forgetFailedNavigation() {
        failedNavigation = null;
    }

    List<Map<String, Object>> console(Page page) {
        Ring ring = console.get(page);
        return ring == null ? List.of() : ring.entries();
    }

    List<Map<String, Object>> network(Page page) {
        Ring ring = network.get(page);
        return ring == null ? List.of() : ring.entries();
    }

    /** Empties the page's console buffer (a client read it and asked to start afresh). */
    void clearConsole(Page page) {
        console.remove(page);
    }

    void clearNetwork(Page page) {
        network.remove(page);
    }

    /**
     * The next dialog of any of the agent's pages is accepted (with {@code promptText} for a prompt) or dismissed;
     * arming again replaces what was armed.
     */
    void arm(boolean accept, String promptText) {
        disarm();
        armed = dialog -> {
            disarm();
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("type", dialog.type());
            seen.put("message", cut(dialog.message(), MAX_TEXT));
            seen.put("accepted", accept);
            try {
                if (accept && promptText != null) {
                    dialog.accept(promptText);
                } else if (accept) {
                    dialog.accept();
                } else {
                    dialog.dismiss();
                }
            } catch (PlaywrightException gone) {
                seen.put("accepted", false); // its page closed meanwhile
            }
            dialogs.addLast(seen);
            while (dialogs.size() > MAX_DIALOGS) {
                dialogs.removeFirst();
            }
        };
        context.onDialog(armed);
    }

    boolean armed() {
        return armed != null;
    }

    private void disarm() {
        if (armed != null) {
            context.offDialog(armed);
            armed = null;
        }
    }

    /** The dialogs answered since the last call, oldest first. */
    List<Map<String, Object>> takeDialogs() {
        List<Map<String, Object>> taken = new ArrayList<>(dialogs);
        dialogs.clear();
        return taken;
    }

    /**
     * The URL without what commonly carries credentials: user info and fragment dropped (OAuth's implicit flow puts
     * tokens there), the values of query parameters named like credentials ({@link #SECRET_NAME}) replaced by
     * {@code REDACTED}, and the whole cut to {@link #MAX_URL} characters. A data: URL keeps its media type only.
     */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            return cut(comma < 0 ? url : url.substring(0, comma + 1), 100) + "…";
        }
        String rest = url;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int scheme = rest.indexOf("://");
        if (scheme > 0) {
            int start = scheme + 3;
            int end = start;
            while (end < rest.length() && "/?".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            int at = rest.lastIndexOf('@', end - 1);
            if (at >= start) {
                rest = rest.substring(0, start) + rest.substring(at + 1);
            }
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            StringBuilder redacted = new StringBuilder(rest.substring(0, query + 1));
            String[] parameters = rest.substring(query + 1).split("&", -1);
            for (int i = 0; i < parameters.length; i++) {
                String parameter = parameters[i];
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                redacted.append(i == 0 ? "" : "&").append(equals >= 0 && SECRET_NAME.matcher(decoded(name)).matches()
                        ? name + "=REDACTED" : parameter);
            }
            rest = redacted.toString();
        }
        return cut(rest, MAX_URL);
    }

    private static String decoded(String name) {
        try {
            return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException malformed) {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    static String cut(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private static int length(Map<String, Object> entry) {
        int length = 16;
        for (Object value : entry.values()) {
            length += value == null ? 0 : String.valueOf(value).length();
        }
        return length;
    }

    /** The newest entries, at most {@link #MAX_ENTRIES} of them and {@link #MAX_CHARS} characters in all. */
    private static final class Ring {
        private final ArrayDeque<Map<String, Object>> entries = new ArrayDeque<>();
        private final ArrayDeque<Integer> lengths = new ArrayDeque<>();
        private int chars;

        void add(Map<String, Object> entry, int length) {
            entries.addLast(entry);
            lengths.addLast(length);
            chars += length;
            while (entries.size() > MAX_ENTRIES || chars > MAX_CHARS) {
                entries.removeFirst();
                chars -= lengths.removeFirst();
            }
        }

        List<Map<String, Object>> entries() {
            return List.copyOf(entries);
        }
    }
}
