package dev.agentapi.browser;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Browsers run inside the operator's network, so every request they make is checked here, on the
 * address the host resolves to: only http(s); configured denials (by default link-local and cloud
 * metadata addresses); optionally every private and loopback range. Allowed hosts win.
 */
final class NavigationGuard {

    private final List<String> allowNames;
    private final List<IpAddressMatcher> allowNetworks;
    private final List<String> denyNames;
    private final List<IpAddressMatcher> denyNetworks;
    private final boolean blockPrivate;

    NavigationGuard(BrowserProperties.Navigation navigation, boolean production) {
        this.allowNames = names(navigation.allowHosts());
        this.allowNetworks = networks(navigation.allowHosts());
        this.denyNames = names(navigation.denyHosts());
        this.denyNetworks = networks(navigation.denyHosts());
        this.blockPrivate = navigation.blocksPrivateNetworks(production);
    }

    /** Why {@code url} may not be fetched, or empty if it may. */
    Optional<String> refusal(String url) {
        Optional<String> parsed = httpHost(url);
        if (parsed.isEmpty()) {
            return Optional.of("only http and https URLs may be opened");
        }
        String host = parsed.get();
        if (host.isBlank()) {
            return Optional.of("the URL has no host");
        }
        if (allowNames.contains(host)) {
            return Optional.empty();
        }
        if (denyNames.contains(host)) {
            return Optional.of("host " + host + " is denied");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.empty(); // it will fail to load by itself: a navigation failure, not a refusal
        }
        for (InetAddress address : addresses) {
            String ip = address.getHostAddress();
            if (matches(allowNetworks, ip)) {
                continue;
            }
            if (matches(denyNetworks, ip)) {
                return Optional.of(host + " resolves to a denied address (" + ip + ")");
            }
            if (blockPrivate && isPrivate(address)) {
                return Optional.of(host + " resolves to a private or loopback address (" + ip + ")");
            }
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

    private static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()) {
            return true;
        }
        if (address instanceof Inet6Address) {
            byte first = address.getAddress()[0];
            return (first & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        byte[] b = address.getAddress();
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
    }

    private static boolean matches(List<IpAddressMatcher> networks, String ip) {
        for (IpAddressMatcher network : networks) {
            try {
                if (network.matches(ip)) {
                    return true;
                }
            } catch (IllegalArgumentException ignored) {
                // other address family
            }
        }
        return false;
    }

    private static boolean looksLikeNetwork(String entry) {
        return entry.contains("/") || entry.contains(":") || entry.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    private static List<String> names(List<String> entries) {
        return entries.stream().map(String::trim).filter(e -> !e.isEmpty() && !looksLikeNetwork(e))
                .map(e -> e.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<IpAddressMatcher> networks(List<String> entries) {
        return entries.stream().map(String::trim).filter(e -> !e.isEmpty() && looksLikeNetwork(e))
                .map(IpAddressMatcher::new).toList();
    }
}
