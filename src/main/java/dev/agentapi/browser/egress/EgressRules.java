package dev.agentapi.browser.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses browsers may reach, decided on the address a connection will go to. Link-local
 * addresses (cloud metadata among them), the unspecified address and {@code fd00:ec2::254} are always
 * refused, whatever the lists say. Then allowed names and networks win, denied names and networks are
 * refused, and with {@code blockPrivateNetworks} private, loopback and carrier-grade NAT ranges are refused
 * too. An IPv6 address carrying an IPv4 one (mapped, compatible, NAT64) is judged as both.
 */
public final class EgressRules {

    private static final List<Network> ALWAYS_DENIED = List.of(Network.parse("169.254.0.0/16"), Network.parse("fe80::/10"),
            Network.parse("fd00:ec2::254/128"), Network.parse("0.0.0.0/8"), Network.parse("::/128"),
            Network.parse("224.0.0.0/4"), Network.parse("255.255.255.255/32"), Network.parse("ff00::/8"));
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

    /** A refusal known from the name alone (a denied name), before anything is resolved. */
    public Optional<Refusal> refusalOfName(String name) {
        String host = name.toLowerCase(Locale.ROOT);
        if (!allowNames.contains(host) && denyNames.contains(host)) {
            return Optional.of(new Refusal("host " + host + " is denied", "deny_list"));
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
                    return Optional.of(new Refusal(shown + " is a link-local, cloud metadata or unspecified address",
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
