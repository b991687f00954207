package dev.agentapi.browser;

import dev.agentapi.browser.egress.EgressPolicy;
import dev.agentapi.browser.egress.EgressRules;
import java.util.Locale;
import java.util.Optional;

/**
 * The early check of a URL an action asks to open: only http(s), and a host the egress rules allow.
 * It answers a clear refusal before the browser is involved; it is not what enforces the rules (its
 * resolution may differ from a later one): the egress proxy judges every connection the browser makes.
 */
final class NavigationGuard {

    private final EgressPolicy policy;

    NavigationGuard(EgressPolicy policy) {
        this.policy = policy;
    }

    /** Why {@code url} may not be opened, or empty if it may (as far as can be told before connecting). */
    Optional<String> refusal(String url) {
        Optional<String> parsed = httpHost(url);
        if (parsed.isEmpty()) {
            return Optional.of("only http and https URLs may be opened");
        }
        String host = parsed.get();
        if (host.isBlank()) {
            return Optional.of("the URL has no host");
        }
        EgressPolicy.Decision decision = policy.decide(host);
        if (decision instanceof EgressPolicy.Refused refused) {
            // an invalid host says what is wrong with what the client wrote; any other refusal says nothing of the address
            return Optional.of(refused.refusal().rule().equals("invalid_host") ? refused.refusal().reason() : EgressRules.PUBLIC_REASON);
        }
        if (decision instanceof EgressPolicy.Unresolvable) {
            return Optional.of(EgressRules.PUBLIC_REASON); // the same answer: a 403 does not tell that an internal name exists
        }
        return Optional.empty();
    }

    /**
     * The host of an http(s) URL, read the way browsers read it (WHATWG URL): leading and trailing
     * spaces ignored, tabs and newlines dropped, backslashes as slashes, user info and port dropped, IPv6 brackets removed.
     * Characters {@link java.net.URI} refuses ({@code |}, {@code {}}, an underscore in a name) are
     * fine here, as they are in a browser. Empty when the scheme is not http or https.
     */
    static Optional<String> httpHost(String url) {
        // browsers drop every tab and newline anywhere in a URL: "http://127.0.0\n.1/" is loopback to them
        String value = url == null ? "" : url.replaceAll("[\t\n\r]", "").strip();
        int colon = value.indexOf(':');
        String scheme = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String rest = value.substring(colon + 1).replace('\\', '/');
        int start = 0;
        while (start < rest.length() && rest.charAt(start) == '/') {
            start++;
        }
        int end = start;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority.substring(1) : authority.substring(1, close);
        } else {
            int port = authority.indexOf(':');
            host = port < 0 ? authority : authority.substring(0, port);
        }
        if (host.indexOf('%') >= 0) {
            try {
                host = java.net.URLDecoder.decode(host, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // left as it is: it will not resolve, and the browser refuses such a host itself
            }
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // "example.com." is example.com
        }
        return Optional.of(host.toLowerCase(Locale.ROOT));
    }
}
