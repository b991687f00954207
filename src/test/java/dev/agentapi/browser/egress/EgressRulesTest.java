package dev.agentapi.browser.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The address rules, the way browsers write addresses, and one resolution per decision. */
class EgressRulesTest {

    private static InetAddress ip(String literal) {
        return ((IpLiteral.Address) IpLiteral.parse(literal)).address();
    }

    private static EgressPolicy policy(List<String> allow, List<String> deny, boolean blockPrivate, HostResolver resolver) {
        return new EgressPolicy(new EgressRules(allow, deny, blockPrivate), resolver);
    }

    private static final HostResolver NO_DNS = name -> {
        throw new UnknownHostException(name);
    };

    @Test
    void readsIpv4InEveryFormABrowserAccepts() {
        for (String form : List.of("169.254.169.254", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "0xa9.0xfe.0xa9.0xfe",
                "169.16689662", "169.254.43518", "0251.254.169.254", "169.254.169.254.", "0XA9.254.169.254")) {
            assertThat(IpLiteral.parse(form)).as(form).isEqualTo(new IpLiteral.Address(ip("169.254.169.254")));
        }
        assertThat(IpLiteral.parse("0")).isEqualTo(new IpLiteral.Address(ip("0.0.0.0")));
        assertThat(IpLiteral.parse("127.1")).isEqualTo(new IpLiteral.Address(ip("127.0.0.1")));
        assertThat(IpLiteral.parse("1.2.3.0x")).as("a bare 0x is zero").isEqualTo(new IpLiteral.Address(ip("1.2.3.0")));
    }

    @Test
    void numbersThatAreNoAddressAreInvalidNotNames() {
        for (String bad : List.of("256.0.0.1", "1.2.3.4.5", "4294967296", "0x1.0x100.0.0", "09.1.1.1", "example.123")) {
            assertThat(IpLiteral.parse(bad)).as(bad).isInstanceOf(IpLiteral.Invalid.class);
        }
        assertThat(IpLiteral.parse("1.2.3.example")).isEqualTo(new IpLiteral.Name("1.2.3.example"));
        assertThat(IpLiteral.parse("Example.COM.")).isEqualTo(new IpLiteral.Name("example.com"));
        assertThat(IpLiteral.parse("[fe80::1%eth0]")).isInstanceOf(IpLiteral.Invalid.class);
        assertThat(IpLiteral.parse("[not:an:address:zz]")).isInstanceOf(IpLiteral.Invalid.class);
    }

    @Test
    void ipv6CarryingIpv4IsJudgedAsThatIpv4() {
        assertThat(IpLiteral.parse("[::ffff:169.254.169.254]")).isEqualTo(new IpLiteral.Address(ip("169.254.169.254")));
        assertThat(IpLiteral.embeddedIpv4(ip("::a9fe:a9fe"))).contains(ip("169.254.169.254"));
        assertThat(IpLiteral.embeddedIpv4(ip("64:ff9b::a9fe:a9fe"))).contains(ip("169.254.169.254"));
        assertThat(IpLiteral.embeddedIpv4(ip("::1"))).isEmpty();
        assertThat(IpLiteral.embeddedIpv4(ip("2001:db8::1"))).isEmpty();
    }

    @Test
    void linkLocalMetadataAndUnspecifiedAreAlwaysDeniedEvenWhenAllowed() {
        EgressPolicy permissive = policy(List.of("169.254.0.0/16", "0.0.0.0/0", "::/0", "metadata.internal"), List.of(), false,
                name -> List.of(ip("169.254.169.254")));
        for (String host : List.of("169.254.169.254", "0xa9fea9fe", "[::ffff:169.254.169.254]", "[::a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]",
                "[fe80::1]", "[fd00:ec2::254]", "0.0.0.0", "0", "[::]", "metadata.internal")) {
            assertThat(permissive.decide(host)).as(host).isInstanceOfSatisfying(EgressPolicy.Refused.class,
                    r -> assertThat(r.refusal().rule()).isEqualTo("always_denied"));
        }
    }

    @Test
    void privateAndLoopbackFollowTheSwitch() {
        List<String> hosts = List.of("127.0.0.1", "127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "[::1]",
                "[fd12::1]", "[::ffff:10.0.0.1]", "2130706433");
        EgressPolicy blocking = policy(List.of(), List.of(), true, NO_DNS);
        EgressPolicy open = policy(List.of(), List.of(), false, NO_DNS);
        for (String host : hosts) {
            assertThat(blocking.decide(host)).as(host).isInstanceOfSatisfying(EgressPolicy.Refused.class,
                    r -> assertThat(r.refusal().rule()).isEqualTo("private_network"));
            assertThat(open.decide(host)).as(host).isInstanceOf(EgressPolicy.Allowed.class);
        }
        assertThat(blocking.decide("93.184.215.14")).isInstanceOf(EgressPolicy.Allowed.class);
        assertThat(blocking.decide("[2606:4700::1111]")).isInstanceOf(EgressPolicy.Allowed.class);
    }

    @Test
    void allowListsWinOverPrivateAndDenyListsOverEverythingElse() {
        HostResolver dns = name -> switch (name) {
            case "intranet.example" -> List.of(ip("10.0.0.5"));
            case "blocked.example" -> throw new AssertionError("a denied name is refused without resolving it");
            default -> List.of(ip("93.184.215.14"));
        };
        EgressPolicy policy = policy(List.of("intranet.example", "127.0.0.1/32"), List.of("blocked.example", "93.184.0.0/16"), true, dns);
        assertThat(policy.decide("intranet.example")).isInstanceOf(EgressPolicy.Allowed.class);
        assertThat(policy.decide("127.0.0.1")).isInstanceOf(EgressPolicy.Allowed.class);
        assertThat(policy.decide("127.0.0.2")).isInstanceOf(EgressPolicy.Refused.class);
        assertThat(policy.decide("blocked.example")).isInstanceOfSatisfying(EgressPolicy.Refused.class,
                r -> assertThat(r.refusal().rule()).isEqualTo("deny_list"));
        assertThat(policy.decide("public.example")).isInstanceOfSatisfying(EgressPolicy.Refused.class,
                r -> assertThat(r.refusal().reason()).contains("93.184.215.14", "93.184.0.0/16"));
    }

    @Test
    void oneDeniedAddressAmongManyRefusesTheName() {
        EgressPolicy policy = policy(List.of(), List.of(), true, name -> List.of(ip("93.184.215.14"), ip("10.0.0.1")));
        assertThat(policy.decide("mixed.example")).isInstanceOf(EgressPolicy.Refused.class);
    }

    @Test
    void aNameIsResolvedOnceAndTheJudgedAddressesAreTheOnesAnswered() {
        AtomicInteger lookups = new AtomicInteger();
        EgressPolicy policy = policy(List.of(), List.of(), true,
                name -> List.of(lookups.getAndIncrement() == 0 ? ip("93.184.215.14") : ip("127.0.0.1")));
        assertThat(policy.decide("rebind.example")).isEqualTo(new EgressPolicy.Allowed(List.of(ip("93.184.215.14"))));
        assertThat(lookups.get()).isEqualTo(1);
        assertThat(policy.decide("rebind.example")).isInstanceOf(EgressPolicy.Refused.class);
    }

    @Test
    void literalsAreNeverSentToTheResolver() {
        EgressPolicy policy = policy(List.of(), List.of(), false, name -> {
            throw new AssertionError("resolved " + name);
        });
        for (String literal : List.of("8.8.8.8", "0x08080808", "134744072", "[2001:4860:4860::8888]")) {
            assertThat(policy.decide(literal)).as(literal).isInstanceOf(EgressPolicy.Allowed.class);
        }
        assertThat(policy.decide("999.1.1.1")).isInstanceOf(EgressPolicy.Refused.class);
    }

    @Test
    void everyBlockThatIsNeverReachableIsDeniedWhateverTheAllowListSays() {
        HostResolver dns = name -> List.of(ip("168.63.129.16"));
        EgressPolicy permissive = policy(List.of("0.0.0.0/0", "::/0", "wireserver.test"), List.of(), false, dns);
        List<String> hosts = List.of(
                "168.63.129.16", "100.100.100.200", "[fd00:ec2::254]", "wireserver.test", // cloud host and metadata endpoints
                "192.0.0.1", "192.0.0.170", "192.0.2.1", "192.88.99.1", "198.18.0.1", "198.19.255.254", "198.51.100.7",
                "203.0.113.9", "240.0.0.1", "250.1.2.3", "255.255.255.254", "255.255.255.255", "224.0.0.251", "239.255.255.255",
                "[64:ff9b:1::1]", "[100::1]", "[100:0:0:1::1]", "[2001::1]", "[2001:2::1]", "[2001:10::1]", "[2001:db8::1]",
                "[3fff::1]", "[5f00::1]", "[fec0::1]", "[ff02::1]",
                // written as IPv6 carrying the IPv4: mapped, NAT64, 6to4
                "[::ffff:168.63.129.16]", "[64:ff9b::a83f:8110]", "[2002:a83f:8110::1]", "[2002:a9fe:a9fe::1]");
        for (String host : hosts) {
            assertThat(permissive.decide(host)).as(host).isInstanceOfSatisfying(EgressPolicy.Refused.class,
                    r -> assertThat(r.refusal().rule()).isEqualTo("always_denied"));
        }
        // their neighbours are ordinary addresses
        for (String host : List.of("168.63.129.15", "100.100.100.201", "192.0.3.1", "192.31.196.1", "198.17.255.255", "198.20.0.1",
                "203.0.114.1", "223.255.255.255", "[2001:4860:4860::8888]", "[2001:200::1]", "[2002:5db8:d70e::1]")) {
            assertThat(permissive.decide(host)).as(host).isInstanceOf(EgressPolicy.Allowed.class);
        }
    }

    @Test
    void sixToFourAddressesAreJudgedAsTheIpv4TheyCarry() {
        assertThat(IpLiteral.embeddedIpv4(ip("2002:a9fe:a9fe::1"))).contains(ip("169.254.169.254"));
        assertThat(policy(List.of(), List.of(), true, NO_DNS).decide("[2002:0a00:0001::1]")).isInstanceOfSatisfying(
                EgressPolicy.Refused.class, r -> assertThat(r.refusal().rule()).isEqualTo("private_network"));
    }

    @Test
    void aDeniedNameCoversItsSubdomainsButAnAllowedNameWins() {
        HostResolver dns = name -> List.of(ip("93.184.215.14"));
        EgressPolicy policy = policy(List.of("open.corp.example"), List.of("corp.example"), true, dns);
        for (String host : List.of("corp.example", "a.corp.example", "x.y.corp.example", "A.Corp.Example.")) {
            assertThat(policy.decide(host)).as(host).isInstanceOfSatisfying(EgressPolicy.Refused.class,
                    r -> assertThat(r.refusal().rule()).isEqualTo("deny_list"));
        }
        for (String host : List.of("open.corp.example", "notcorp.example", "corp.example.com", "corp-example.org")) {
            assertThat(policy.decide(host)).as(host).isInstanceOf(EgressPolicy.Allowed.class);
        }
    }

    @Test
    void anUnresolvableNameIsNoRefusal() {
        assertThat(policy(List.of(), List.of(), true, NO_DNS).decide("nowhere.invalid")).isInstanceOf(EgressPolicy.Unresolvable.class);
    }
}
