package dev.agentapi.browser.egress;

import java.net.InetAddress;

/** A CIDR block ({@code 10.0.0.0/8}, {@code fd00:ec2::254/128}); a bare address is a block of one. */
record Network(byte[] prefix, int bits, String text) {

    static Network parse(String cidr) {
        String value = cidr.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (!(IpLiteral.parse(address) instanceof IpLiteral.Address parsed)) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address or CIDR block");
        }
        byte[] bytes = parsed.address().getAddress();
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
        }
        return new Network(bytes, bits, value);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != prefix.length) {
            return false;
        }
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[whole] & mask) == (prefix[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
