package dev.agentapi.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A fuzz input read as a raw HTTP/1.1 request, in a text form people can write seeds in:
 * <pre>
 * route name            (see {@link FuzzRoutes}; unknown names pick a route by hash)
 * method                (empty: the route's own)
 * id segment            (raw, as sent; empty: the route's default id)
 * query string          (raw, as sent, without '?'; empty: none)
 * header lines ...      (raw, until an empty line)
 *
 * body ...              (raw bytes, to the end)
 * </pre>
 * Bytes are kept as they are (ISO-8859-1 in, ISO-8859-1 out), so the fuzzer can put any octet,
 * CR, LF and NUL included, into the request line and headers. The test adds {@code Host},
 * credentials and {@code Content-Length} only when the input has none of its own.
 */
record RawRequest(FuzzRoutes.Route route, String method, String target, String headers, byte[] body) {

    static RawRequest parse(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Lines lines = new Lines(text);
        FuzzRoutes.Route route = FuzzRoutes.named(lines.next().strip());
        String method = lines.next();
        String id = lines.next();
        String query = lines.next();
        StringBuilder headers = new StringBuilder();
        for (String line = lines.next(); !line.isEmpty() && !line.equals("\r"); line = lines.next()) {
            headers.append(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).append("\r\n");
        }
        String path = route.path().replace("{id}", id.isEmpty() && route.defaultId() != null ? route.defaultId() : id);
        return new RawRequest(route, method.isEmpty() ? route.method() : method, query.isEmpty() ? path : path + "?" + query,
                headers.toString(), lines.rest().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The bytes on the wire, with {@code Authorization: Bearer credential} unless the input has credentials. */
    byte[] wire(String credential) {
        String lower = headers.toLowerCase(Locale.ROOT);
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (!has(lower, "host")) {
            head.append("Host: 127.0.0.1\r\n");
        }
        if (!has(lower, "authorization") && !has(lower, "x-api-key")) {
            head.append("Authorization: Bearer ").append(credential).append("\r\n");
        }
        if (!has(lower, "content-type") && body.length > 0) {
            head.append("Content-Type: application/json\r\n");
        }
        if (!has(lower, "content-length") && !has(lower, "transfer-encoding") && body.length > 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append(headers).append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    boolean isHead() {
        return method.equalsIgnoreCase("HEAD");
    }

    private static boolean has(String lowerHeaders, String name) {
        return lowerHeaders.startsWith(name + ":") || lowerHeaders.contains("\n" + name + ":");
    }

    /** Reads lines off the front of the input; past the end every line is empty. */
    private static final class Lines {
        private final String text;
        private int at;

        Lines(String text) {
            this.text = text;
        }

        String next() {
            if (at >= text.length()) {
                return "";
            }
            int end = text.indexOf('\n', at);
            String line = end < 0 ? text.substring(at) : text.substring(at, end);
            at = end < 0 ? text.length() : end + 1;
            return line;
        }

        String rest() {
            return at >= text.length() ? "" : text.substring(at);
        }
    }
}
