package dev.agentapi.browser.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * IP address literals read the way browsers read hosts (WHATWG URL): IPv4 in decimal, octal
 * ({@code 0251.0376.0251.0376}), hex ({@code 0xa9.0xfe.0xa9.0xfe}) and shortened forms
 * ({@code 2852039166}, {@code 169.16689662}); IPv6 with or without brackets. A host whose last label is
 * a number is an IPv4 literal or invalid, never a name, so it cannot be sent to DNS to mean something else.
 */
public final class IpLiteral {

    /** What a host is: a name, an address, or neither (a number out of range, a malformed IPv6 literal). */
    public sealed interface Host permits Name, Address, Invalid {
    }

    public record Name(String name) implements Host {
    }

    public record Address(InetAddress address) implements Host {
    }

    public record Invalid(String why) implements Host {
    }

    private IpLiteral() {
    }

    /** Reads {@code host} (no port); a name comes back lower-cased without a trailing dot. */
    public static Host parse(String host) {
        String value = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty()) {
            return new Invalid("the host is empty");
        }
        if (value.indexOf(':') >= 0) {
            return ipv6(value);
        }
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        String[] parts = value.split("\\.", -1);
        if (looksNumeric(parts[parts.length - 1])) {
            return ipv4(parts, host);
        }
        return new Name(value);
    }

    private static Host ipv6(String value) {
        if (!value.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return new Invalid(value + " is not an IPv6 address"); // zone ids (%eth0) included
        }
        try {
            // only hex digits, colons and dots: Java parses this as a literal and never asks DNS
            return new Address(InetAddress.getByName("[" + value + "]"));
        } catch (UnknownHostException e) {
            return new Invalid(value + " is not an IPv6 address");
        }
    }

    /** WHATWG "ends in a number": decimal digits, or 0x followed by hex digits. */
    private static boolean looksNumeric(String part) {
        if (part.isEmpty()) {
            return false;
        }
        if (part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (part.startsWith("0x")) && part.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static Host ipv4(String[] parts, String original) {
        if (parts.length > 4) {
            return new Invalid(original + " is not an IPv4 address");
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long number = number(parts[i]);
            if (number == null) {
                return new Invalid(original + " is not an IPv4 address");
            }
            numbers[i] = number;
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                return new Invalid(original + " is not an IPv4 address");
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * (5 - numbers.length))) {
            return new Invalid(original + " is not an IPv4 address");
        }
        long value = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return new Address(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** One IPv4 part: 0x hex, leading-zero octal, or decimal; null when it is none of them or too large. */
    private static Long number(String part) {
        if (part.isEmpty()) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return 0L;
        }
        if (digits.length() > 12) {
            return null;
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it: IPv4-mapped ({@code ::ffff:a.b.c.d}, which Java
     * usually turns into IPv4 already), IPv4-compatible ({@code ::a.b.c.d}) and NAT64 ({@code 64:ff9b::a.b.c.d}),
     * which reaches that IPv4 host on a NAT64 network.
     */
    public static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        boolean zeros80 = allZero(b, 0, 10);
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 15); // not :: or ::1
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        boolean sixToFour = (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02; // 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
        if (!mapped && !compatible && !nat64 && !sixToFour) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(sixToFour ? new byte[] {b[2], b[3], b[4], b[5]} : new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
