package dev.agentapi.browser.egress;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The start line and header fields of an HTTP/1.x message; bodies are never read into memory. */
final class HttpHead {

    /** Larger heads are refused: no browser sends them, and they would only cost memory. */
    static final int LIMIT = 64 * 1024;

    private final String startLine;
    private final List<String> fields;

    HttpHead(String startLine, List<String> fields) {
        this.startLine = startLine;
        this.fields = List.copyOf(fields);
    }

    /** Reads one head; empty when the stream ends before it starts. */
    static Optional<HttpHead> read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (lines.isEmpty() && line.size() == 0) {
                    return Optional.empty();
                }
                throw new ProtocolException("the message head ended early");
            }
            if (++total > LIMIT) {
                throw new ProtocolException("the message head is larger than " + LIMIT + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // blank lines before a start line are allowed
                }
                return Optional.of(new HttpHead(lines.get(0), lines.subList(1, lines.size())));
            }
            lines.add(text);
        }
    }

    String startLine() {
        return startLine;
    }

    /** The first value of a header, trimmed. */
    Optional<String> header(String name) {
        for (String field : fields) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return Optional.of(field.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }

    /** Whether a comma-separated header (Connection, Transfer-Encoding) lists {@code token}. */
    boolean lists(String name, String token) {
        for (String field : fields) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name)) {
                for (String value : field.substring(colon + 1).split(",")) {
                    if (value.strip().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The names a Connection header marks hop-by-hop, lower-cased. */
    List<String> connectionTokens() {
        List<String> tokens = new ArrayList<>();
        for (String field : fields) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase("connection")) {
                for (String value : field.substring(colon + 1).split(",")) {
                    if (!value.isBlank()) {
                        tokens.add(value.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return tokens;
    }

    HttpHead withStartLine(String line) {
        return new HttpHead(line, fields);
    }

    HttpHead without(List<String> names) {
        List<String> kept = new ArrayList<>(fields.size());
        for (String field : fields) {
            int colon = field.indexOf(':');
            String name = colon > 0 ? field.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
            if (!names.contains(name)) {
                kept.add(field);
            }
        }
        return new HttpHead(startLine, kept);
    }

    HttpHead with(String name, String value) {
        List<String> more = new ArrayList<>(fields);
        more.add(name + ": " + value);
        return new HttpHead(startLine, more);
    }

    void writeTo(OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(startLine.length() + fields.size() * 40).append(startLine).append("\r\n");
        for (String field : fields) {
            text.append(field).append("\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Copies a chunked body ({@code Transfer-Encoding: chunked}) from {@code in} to {@code out} as it is, through its
     * last chunk and trailer, and no further: the message's end is found without buffering it.
     */
    static void copyChunked(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            byte[] sizeLine = line(in);
            out.write(sizeLine);
            String size = new String(sizeLine, StandardCharsets.ISO_8859_1).strip();
            int extension = size.indexOf(';');
            long left;
            try {
                left = Long.parseLong(extension < 0 ? size : size.substring(0, extension).strip(), 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size");
            }
            if (left < 0) {
                throw new ProtocolException("bad chunk size");
            }
            if (left == 0) {
                byte[] trailer;
                do {
                    trailer = line(in);
                    out.write(trailer);
                } while (trailer.length > 2 || (trailer.length == 2 && trailer[0] != '\r'));
                out.flush();
                return;
            }
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("the body ended early");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
            out.write(line(in)); // the CRLF after the chunk's data
            out.flush();
        }
    }

    /** One line with its line end; at most 8 KiB. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > 8192) {
                throw new ProtocolException("a chunk line is longer than 8 KiB");
            }
        }
        throw new EOFException("the body ended early");
    }

    /**
     * A buffered stream over a socket whose read-ahead can be taken back: bytes that arrived after a head (a
     * tunnel's first bytes) go on with the connection when it becomes a tunnel.
     */
    static final class Reader extends BufferedInputStream {

        Reader(InputStream in) {
            super(in, 8192);
        }

        /** What was read from the socket and not from this stream, now handed over (this stream is done). */
        synchronized ByteBuffer unread() {
            ByteBuffer rest = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buf, pos, count));
            pos = count;
            return rest;
        }
    }
}
