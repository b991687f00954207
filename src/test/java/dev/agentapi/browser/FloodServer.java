package dev.agentapi.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page server on 127.0.0.1 for the egress fair-share test, on raw sockets (the JDK's HTTP server speaks no
 * WebSocket): {@code /flood?ws=N&fetch=M} is a page that opens N WebSockets to {@code /ws} and M fetches of
 * {@code /hang}, each to a host name of its own ({@code h<i>.flood.test}, which the test resolves to 127.0.0.1,
 * so Chromium's six-per-host limit does not hold them back). {@code /ws} completes the upgrade and then holds
 * the connection open; {@code /hang} never answers. {@code /hello} is an ordinary page.
 */
final class FloodServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flood-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger upgraded = new AtomicInteger();
    private final AtomicInteger hanging = new AtomicInteger();
    private final AtomicInteger hellos = new AtomicInteger();

    FloodServer() throws IOException {
        server = new ServerSocket(0, 512, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "flood-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** WebSockets upgraded so far (each then held open). */
    int upgraded() {
        return upgraded.get();
    }

    /** Requests to /hang received so far (each held unanswered). */
    int hanging() {
        return hanging.get();
    }

    int hellos() {
        return hellos.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                connections.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = head(in);
            if (head == null) {
                return;
            }
            String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            OutputStream out = socket.getOutputStream();
            if (target.startsWith("/ws")) {
                String key = header(head, "sec-websocket-key");
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                upgraded.incrementAndGet();
                in.transferTo(OutputStream.nullOutputStream()); // held until the browser (or the proxy) lets go
            } else if (target.startsWith("/hang")) {
                hanging.incrementAndGet();
                in.transferTo(OutputStream.nullOutputStream()); // never answered
            } else if (target.startsWith("/flood")) {
                page(out, flood(query(target, "ws"), query(target, "fetch")));
            } else {
                hellos.incrementAndGet();
                page(out, "<html><head><title>Hello</title></head><body>hello</body></html>");
            }
        } catch (IOException ended) {
            // the browser or the proxy closed it
        } finally {
            open.remove(socket);
        }
    }

    /** Whether the flood page's report ({@code "<n> open, <m> failed"}) says all {@code webSockets} of its WebSockets have settled. */
    static boolean settled(String report, int webSockets) {
        String[] parts = report.split("\\D+");
        return parts.length >= 2 && Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]) >= webSockets;
    }

    private String flood(int webSockets, int fetches) {
        return "<html><head><title>Flood</title></head><body><p id='out'></p><script>"
                + "let opened = 0, failed = 0; window.sockets = [];"
                + "for (let i = 0; i < " + webSockets + "; i++) {"
                + "  const ws = new WebSocket('ws://w' + i + '.flood.test:" + port() + "/ws');"
                + "  ws.onopen = () => { opened++; }; ws.onerror = () => { failed++; }; window.sockets.push(ws); }"
                + "for (let i = 0; i < " + fetches + "; i++) {"
                + "  fetch('http://h' + i + '.flood.test:" + port() + "/hang?i=' + i, {mode: 'no-cors'}).catch(() => {}); }"
                + "setInterval(() => { document.getElementById('out').textContent = opened + ' open, ' + failed + ' failed'; }, 200);"
                + "</script></body></html>";
    }

    private static void page(OutputStream out, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4 || bytes.size() > 64 * 1024) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static int query(String target, String name) {
        for (String pair : target.substring(target.indexOf('?') + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return Integer.parseInt(pair.substring(name.length() + 1));
            }
        }
        return 0;
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        connections.shutdownNow();
    }
}
