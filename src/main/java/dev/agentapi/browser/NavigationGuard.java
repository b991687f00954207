package dev.agentapi.browser;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
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
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http and https URLs may be opened");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("the URL has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
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
