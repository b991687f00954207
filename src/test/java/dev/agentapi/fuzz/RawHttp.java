package dev.agentapi.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes to the service over a plain socket (the JDK client refuses to send a malformed
 * request; an attacker does not) and reads back every response on the connection: 1xx interim
 * answers, then the final one (more than one if the input smuggled a second request in).
 */
final class RawHttp {

    /** One response as it came off the wire. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers.getOrDefault("content-type", "") + " "
                    + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private RawHttp() {
    }

    /** Every response the service wrote before closing; empty if it closed without answering. */
    static List<Response> exchange(int port, byte[] request, boolean head) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000); // a hang is a finding; the bound only keeps the run finite
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput(); // the server sees the end of the request, whatever its headers said
            } catch (SocketException closedEarly) {
                // the server answered and closed before reading everything (e.g. 413): read what it said
            }
            return parse(readAll(socket.getInputStream()), head);
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + abbreviate(new String(request, StandardCharsets.ISO_8859_1)), e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset after the answer (Tomcat closing a connection with unread input) ends the stream
        }
        return out.toByteArray();
    }

    static List<Response> parse(byte[] bytes, boolean head) {
        String wire = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Response> responses = new ArrayList<>();
        int at = 0;
        while (at < wire.length()) {
            int end = wire.indexOf("\r\n\r\n", at);
            if (end < 0 || !wire.startsWith("HTTP/1.1 ", at)) {
                throw new AssertionError("not an HTTP response at byte " + at + ": " + abbreviate(wire.substring(at)));
            }
            String[] lines = wire.substring(at, end).split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            at = end + 4;
            String body = "";
            if (status >= 200 && status != 204 && status != 304 && !head) {
                if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                    StringBuilder decoded = new StringBuilder();
                    while (true) {
                        int lineEnd = wire.indexOf("\r\n", at);
                        int size = Integer.parseInt(wire.substring(at, lineEnd).split(";")[0].trim(), 16);
                        at = lineEnd + 2;
                        if (size == 0) {
                            at = wire.indexOf("\r\n", at) + 2; // no trailers from this server
                            break;
                        }
                        decoded.append(wire, at, at + size);
                        at += size + 2;
                    }
                    body = decoded.toString();
                } else if (headers.containsKey("content-length")) {
                    int length = Integer.parseInt(headers.get("content-length"));
                    body = wire.substring(at, Math.min(wire.length(), at + length));
                    at += length;
                } else {
                    body = wire.substring(at);
                    at = wire.length();
                }
            }
            responses.add(new Response(status, headers,
                    new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
        }
        return responses;
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…(" + text.length() + " chars)";
    }
}
