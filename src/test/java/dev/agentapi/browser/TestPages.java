package dev.agentapi.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Pages the browser tests open, served on 127.0.0.1 by the JDK's HTTP server. */
public final class TestPages implements AutoCloseable {

    private final HttpServer server;
    private final java.util.Map<String, Integer> hits = new java.util.concurrent.ConcurrentHashMap<>();

    public TestPages() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page("/", "<html><head><title>Home</title></head><body><h1 id='h'>Hello</h1>"
                + "<button id='go' onclick=\"document.getElementById('h').textContent='Clicked'\">Go</button></body></html>");
        // an accessibility tree far longer than a snapshot may be (McpServerTest)
        page("/long", "<html><head><title>Long</title></head><body><ul>"
                + java.util.stream.IntStream.range(0, 6000).mapToObj(i -> "<li>item " + i + "</li>").collect(java.util.stream.Collectors.joining())
                + "</ul></body></html>");
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
        // two hops to the metadata address: the case the old request interception let through
        server.createContext("/via-hop-to-metadata", exchange -> {
            exchange.getResponseHeaders().add("Location", "/to-metadata");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            hits.merge("/slow", 1, Integer::sum);
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "<html><head><title>Slow</title></head><body>done</body></html>");
        });
        server.createContext("/bad-redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://[not-a-host/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        // registers a service worker and reports how that went in #out
        page("/service-worker", "<html><head><title>SW</title></head><body><p id='out'></p><script>"
                + "navigator.serviceWorker.register('/sw.js').then("
                + "() => { out.textContent = 'registered'; out.className = 'done'; },"
                + "() => { out.textContent = 'failed'; out.className = 'done'; });</script></body></html>");
        server.createContext("/sw.js", exchange -> {
            hits.merge("/sw.js", 1, Integer::sum);
            byte[] body = "self.addEventListener('fetch', () => {});".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/javascript");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // opens a WebSocket to the URL in the query and reports in #out when it is closed
        server.createContext("/websocket", exchange -> respond(exchange, 200,
                "<html><head><title>WS</title></head><body><p id='out'></p><script>"
                        + "const ws = new WebSocket(decodeURIComponent(location.search.substring(1)));"
                        + "ws.onclose = () => { out.textContent = 'closed'; out.className = 'done'; };</script></body></html>"));
        server.createContext("/socket", exchange -> {
            hits.merge("/socket", 1, Integer::sum);
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
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

    /** How often a counted path (/sw.js, /socket) was requested. */
    public int hits(String path) {
        return hits.getOrDefault(path, 0);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
