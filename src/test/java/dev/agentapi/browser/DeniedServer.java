package dev.agentapi.browser;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host browsers must never reach: it counts every TCP connection it accepts (before reading a byte),
 * and answers anything with a page titled "Denied", so a connection that got through would also show.
 */
final class DeniedServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    DeniedServer(InetAddress address, int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port), 50);
        Thread acceptor = new Thread(this::accept, "denied-server-" + address.getHostAddress());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                Thread answer = new Thread(() -> answer(socket));
                answer.setDaemon(true);
                answer.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void answer(Socket socket) {
        try (socket) {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            int last = 0;
            int b;
            while ((b = in.read()) >= 0 && !(b == '\n' && last == '\n')) {
                if (b != '\r') {
                    last = b;
                }
            }
            byte[] body = "<html><head><title>Denied</title></head><body>reached</body></html>".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
        } catch (IOException ignored) {
            // the counting is what matters
        }
    }

    /** TCP connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
