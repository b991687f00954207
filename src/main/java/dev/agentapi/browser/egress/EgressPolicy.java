package dev.agentapi.browser.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Decides where a host may be reached: resolves it once (literals are read, never resolved), judges
 * every address against the rules, and answers the addresses to connect to, the very ones judged.
 */
public final class EgressPolicy {

    /** The outcome for one host: addresses to connect to, a refusal, or a failure to resolve it. */
    public sealed interface Decision permits Allowed, Refused, Unresolvable {
    }

    public record Allowed(List<InetAddress> addresses) implements Decision {
    }

    public record Refused(EgressRules.Refusal refusal) implements Decision {
    }

    public record Unresolvable(String reason) implements Decision {
    }

    private final EgressRules rules;
    private final HostResolver resolver;

    public EgressPolicy(EgressRules rules, HostResolver resolver) {
        this.rules = rules;
        this.resolver = resolver;
    }

    public Decision decide(String host) {
        IpLiteral.Host parsed = IpLiteral.parse(host);
        if (parsed instanceof IpLiteral.Invalid invalid) {
            return new Refused(new EgressRules.Refusal(invalid.why(), "invalid_host"));
        }
        if (parsed instanceof IpLiteral.Address literal) {
            InetAddress address = literal.address();
            return judge(address.getHostAddress(), List.of(address));
        }
        String name = ((IpLiteral.Name) parsed).name();
        Optional<EgressRules.Refusal> denied = rules.refusalOfName(name);
        if (denied.isPresent()) {
            return new Refused(denied.get());
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            return new Unresolvable(name + " does not resolve");
        }
        if (addresses.isEmpty()) {
            return new Unresolvable(name + " does not resolve");
        }
        return judge(name, addresses);
    }

    private Decision judge(String host, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            Optional<EgressRules.Refusal> refusal = rules.refusal(host, address);
            if (refusal.isPresent()) {
                return new Refused(refusal.get());
            }
        }
        return new Allowed(List.copyOf(addresses));
    }
}
