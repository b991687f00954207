package dev.agentapi.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Pages the browser tests open, served on 127.0.0.1 by the JDK's HTTP server. */
public final class TestPages implements AutoCloseable {

    private final HttpServer server;

    public TestPages() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page("/", "<html><head><title>Home</title></head><body><h1 id='h'>Hello</h1>"
                + "<button id='go' onclick=\"document.getElementById('h').textContent='Clicked'\">Go</button></body></html>");
        page("/form", "<html><head><title>Form</title></head><body><form action='/result' method='get'>"
                + "<input id='name' name='name'><button id='send' type='submit'>Send</button></form></body></html>");
        server.createContext("/result", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            String name = query == null ? "" : java.net.URLDecoder.decode(query.replace("name=", ""), StandardCharsets.UTF_8);
            respond(exchange, 200, "<html><head><title>Result</title></head><body><p id='out'>Hello, " + name + "!</p></body></html>");
        });
        server.createContext("/to-metadata", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "<html><head><title>Slow</title></head><body>done</body></html>");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    private void page(String path, String html) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "<html><head><title>Missing</title></head></html>");
                return;
            }
            respond(exchange, 200, html);
        });
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
