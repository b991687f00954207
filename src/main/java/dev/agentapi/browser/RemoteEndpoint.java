package dev.agentapi.browser;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One remote browser server agents may run on, with how many of this instance's agents it takes at once.
 * Written as a sentence, one per entry of {@code BROWSER_REMOTE_ENDPOINTS} (entries separated by commas):
 * <ul>
 *   <li>{@code playwright ws://browsers-0.browsers:3000/pw max 4}: a Playwright browser server
 *       ({@code launchServer}, {@code playwright launch-server}/{@code run-server}), joined with
 *       {@code BrowserType.connect}; its Playwright version must match this service's (major.minor).</li>
 *   <li>{@code cdp http://chrome-0.chrome:9222 max 2} or {@code cdp ws://host/devtools/browser/<id> max 2}:
 *       a Chromium DevTools endpoint (Browserless, a Selenium Grid node, {@code --remote-debugging-port}),
 *       joined with {@code BrowserType.connectOverCDP}.</li>
 * </ul>
 * The URL may carry a token (Browserless' {@code ?token=}); it then comes from the environment like any
 * secret, and {@link #name()}, which logs and health reports show, leaves the query and user info out.
 */
public record RemoteEndpoint(Protocol protocol, String url, int capacity) {

    private static final Pattern SENTENCE = Pattern.compile("^\\s*(\\S+)\\s+(\\S+)\\s+max\\s+(\\d{1,4})\\s*$", Pattern.CASE_INSENSITIVE);

    public enum Protocol {
        PLAYWRIGHT, CDP;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RemoteEndpoint {
        if (capacity < 1) {
            throw new IllegalArgumentException("A remote browser endpoint takes at least 1 browser");
        }
    }

    /** Reads {@code "<playwright|cdp> <url> max <n>"}; refuses anything else with a message naming the rule. */
    public static RemoteEndpoint parse(String sentence) {
        Matcher m = SENTENCE.matcher(sentence == null ? "" : sentence);
        if (!m.matches()) {
            throw new IllegalArgumentException("A BROWSER_REMOTE_ENDPOINTS entry reads \"<playwright|cdp> <url> max <n>\", "
                    + "for example \"playwright ws://browsers:3000/ max 4\"; got \"" + redacted(sentence) + "\"");
        }
        Protocol protocol;
        try {
            protocol = Protocol.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("A remote browser endpoint's protocol is playwright or cdp, not \"" + m.group(1) + "\"");
        }
        String url = m.group(2);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalArgumentException("The remote browser endpoint URL " + redacted(url) + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean websocket = scheme.equals("ws") || scheme.equals("wss");
        boolean http = scheme.equals("http") || scheme.equals("https");
        if (!(websocket || (protocol == Protocol.CDP && http)) || uri.getHost() == null) {
            throw new IllegalArgumentException("A " + protocol.value() + " endpoint's URL is "
                    + (protocol == Protocol.CDP ? "ws://, wss://, http:// or https://" : "ws:// or wss://")
                    + " with a host; got " + redacted(url));
        }
        return new RemoteEndpoint(protocol, url, Integer.parseInt(m.group(3)));
    }

    /** The endpoint as logs and health reports show it: protocol, scheme, host, port and path; never a query or user info. */
    public String name() {
        return protocol.value() + " " + redacted(url);
    }

    public String host() {
        return URI.create(url).getHost();
    }

    /** The port, or the scheme's default. */
    public int port() {
        URI uri = URI.create(url);
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("wss") || uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** A URL's user info, query and fragment, wherever a URL appears in a text. */
    private static final java.util.regex.Pattern URL_SECRETS =
            java.util.regex.Pattern.compile("(?i)\\b(wss?|https?)://(?:[^\\s/@?#]+@)?([^\\s/?#]+)([^\\s?#]*)(?:[?#]\\S*)?");

    /**
     * {@code text} (an error met using this endpoint, a driver's message) fit for logs, health reports, answers and
     * the audit trail: this endpoint's URL as {@link #name()} shows it, and any URL in it without user info, query
     * or fragment, where tokens travel.
     */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        return URL_SECRETS.matcher(text.replace(url, redacted(url))).replaceAll("$1://$2$3");
    }

    private static String redacted(String url) {
        if (url == null) {
            return "";
        }
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "<unreadable URL>";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException malformed) {
            return "<unreadable URL>";
        }
    }

    @Override
    public String toString() {
        return name() + " max " + capacity;
    }
}
