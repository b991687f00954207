package dev.agentapi.browser.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which addresses browsers may reach, decided on the address a connection will go to. Some addresses are
 * refused whatever the lists say ({@link #ALWAYS_DENIED}): link-local (cloud metadata among them), the other
 * clouds' metadata and host endpoints, and every block of IANA's special-purpose registries that is not
 * globally reachable and not a private network. Then allowed names and networks win, denied names (with their
 * subdomains) and networks are refused, and with {@code blockPrivateNetworks} private, loopback and
 * carrier-grade NAT ranges are refused too. An IPv6 address carrying an IPv4 one (mapped, compatible, NAT64,
 * 6to4) is judged as both.
 *
 * <p>A refusal's {@link Refusal#reason()} names the address a name resolved to: it is for operators (logs,
 * the audit trail). Clients are told {@link #PUBLIC_REASON} only.
 */
public final class EgressRules {

    /** What a client is told of any refusal (and of a name that does not resolve): nothing about the address. */
    public static final String PUBLIC_REASON = "the address is not allowed";

    /**
     * Refused whatever the allow list says. Private networks (RFC 1918, carrier-grade NAT, unique-local) and
     * loopback are not here: they follow the {@code blockPrivateNetworks} switch and the lists.
     */
    static final List<Network> ALWAYS_DENIED = Stream.of(
            // link-local, cloud metadata and host endpoints
            "169.254.0.0/16", "fe80::/10", "168.63.129.16/32", "100.100.100.200/32", "fd00:ec2::254/128",
            // IPv4 special-purpose registry (RFC 6890 and updates), beyond private networks and loopback
            "0.0.0.0/8", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
            // IPv6 special-purpose registry, beyond loopback and unique-local
            "::/128", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64", "2001::/32", "2001:2::/48", "2001:10::/28",
            "2001:db8::/32", "3fff::/20", "5f00::/16", "fec0::/10", "ff00::/8").map(Network::parse).toList();
    private static final Network CARRIER_GRADE_NAT = Network.parse("100.64.0.0/10");
    private static final Network UNIQUE_LOCAL = Network.parse("fc00::/7");

    /** Why a host was refused, and by which rule ({@code always_denied}, {@code deny_list}, {@code private_network}). */
    public record Refusal(String reason, String rule) {
    }

    private final List<String> allowNames = new ArrayList<>();
    private final List<Network> allowNetworks = new ArrayList<>();
    private final List<String> denyNames = new ArrayList<>();
    private final List<Network> denyNetworks = new ArrayList<>();
    private final boolean blockPrivate;

    /** {@code allowHosts}/{@code denyHosts}: host names, addresses or CIDR blocks. */
    public EgressRules(List<String> allowHosts, List<String> denyHosts, boolean blockPrivateNetworks) {
        sort(allowHosts, allowNames, allowNetworks);
        sort(denyHosts, denyNames, denyNetworks);
        this.blockPrivate = blockPrivateNetworks;
    }

    private static void sort(List<String> entries, List<String> names, List<Network> networks) {
        for (String entry : entries) {
            String value = entry.strip();
            if (value.isEmpty()) {
                continue;
            }
            String address = value.contains("/") ? value.substring(0, value.indexOf('/')) : value;
            if (IpLiteral.parse(address) instanceof IpLiteral.Name name) {
                names.add(name.name());
            } else {
                networks.add(Network.parse(value));
            }
        }
    }

    public boolean blocksPrivateNetworks() {
        return blockPrivate;
    }

    /** A refusal known from the name alone (a denied name or a subdomain of one), before anything is resolved. */
    public Optional<Refusal> refusalOfName(String name) {
        String host = name.toLowerCase(Locale.ROOT);
        if (allowNames.contains(host)) {
            return Optional.empty();
        }
        for (String denied : denyNames) {
            if (host.equals(denied) || host.endsWith("." + denied)) {
                return Optional.of(new Refusal("host " + host + " is denied" + (host.equals(denied) ? "" : " (as a subdomain of " + denied + ")"),
                        "deny_list"));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code host} (a name, or the address itself written out) may be reached at {@code address}.
     * Every address a name resolves to is judged, and one refused address refuses the name.
     */
    public Optional<Refusal> refusal(String host, InetAddress address) {
        String shown = host.equals(address.getHostAddress()) ? host : host + " (" + address.getHostAddress() + ")";
        List<InetAddress> judged = new ArrayList<>(2);
        judged.add(address);
        IpLiteral.embeddedIpv4(address).ifPresent(judged::add);
        for (InetAddress candidate : judged) {
            for (Network network : ALWAYS_DENIED) {
                if (network.contains(candidate)) {
                    return Optional.of(new Refusal(shown + " is in " + network + ", which is never reachable from a browser",
                            "always_denied"));
                }
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (allowNames.contains(name)) {
            return Optional.empty();
        }
        Optional<Refusal> byName = refusalOfName(name);
        if (byName.isPresent()) {
            return byName;
        }
        for (InetAddress candidate : judged) {
            if (allowNetworks.stream().anyMatch(n -> n.contains(candidate))) {
                continue;
            }
            Optional<Network> denied = denyNetworks.stream().filter(n -> n.contains(candidate)).findFirst();
            if (denied.isPresent()) {
                return Optional.of(new Refusal(shown + " is in the denied network " + denied.get(), "deny_list"));
            }
            if (blockPrivate && isPrivate(candidate)) {
                return Optional.of(new Refusal(shown + " is a private or loopback address", "private_network"));
            }
        }
        return Optional.empty();
    }

    /** Loopback, RFC 1918, carrier-grade NAT, IPv6 site-local and unique-local addresses. */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()) {
            return true;
        }
        return address instanceof Inet6Address ? UNIQUE_LOCAL.contains(address) : CARRIER_GRADE_NAT.contains(address);
    }
}
