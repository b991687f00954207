package dev.agentapi.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Pages on 127.0.0.1 that try to reach a target URL (the {@code to} query parameter) every way a page can:
 * redirects, fetch, iframes, dedicated and service workers, WebSockets from pages and workers, downloads,
 * popups and links. Each page writes its outcome into {@code #out} and marks it {@code .done}.
 */
final class EgressPages implements AutoCloseable {

    private static final String REPORT = "<p id='out'></p><script>function report(v) { const out = document.getElementById('out');"
            + " if (!out.className) { out.textContent = String(v); out.className = 'done'; } }"
            + " const to = new URLSearchParams(location.search).get('to');</script>";

    private final HttpServer server;
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    private volatile String lastConnectionHeader;

    EgressPages() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/redirect", exchange -> {
            Map<String, String> query = query(exchange);
            int hops = Integer.parseInt(query.get("hops"));
            String next = hops <= 1 ? query.get("to") : "/redirect?hops=" + (hops - 1) + "&to=" + encode(query.get("to"));
            exchange.getResponseHeaders().add("Location", next);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/hello", exchange -> {
            hits.merge("/hello", 1, Integer::sum);
            lastConnectionHeader = exchange.getRequestHeaders().getFirst("Connection");
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            html(exchange, "<html><head><title>Hello</title></head><body>hello</body></html>");
        });
        page("/fetch", "fetch(to, {mode: 'no-cors'}).then(() => report('ok'), () => report('failed'));");
        page("/iframe", "const f = document.createElement('iframe'); f.onload = () => report('loaded'); f.src = to;"
                + " document.body.append(f);");
        page("/worker", "const w = new Worker('/worker.js' + location.search); w.onmessage = e => report(e.data);"
                + " w.onerror = () => report('worker error');");
        page("/websocket", "const ws = new WebSocket(to); ws.onopen = () => report('open'); ws.onclose = () => report('closed');");
        page("/service-worker", "navigator.serviceWorker.addEventListener('message', e => report(e.data));"
                + " navigator.serviceWorker.register('/sw.js?to=' + encodeURIComponent(to))"
                + ".then(() => navigator.serviceWorker.ready).then(r => r.active.postMessage('outcome?'), e => report('failed: ' + e));");
        // a same-origin download link whose redirect goes to the target
        page("/download", "const a = document.createElement('a'); a.href = '/redirect?hops=1&to=' + encodeURIComponent(to);"
                + " a.download = 'file.bin'; document.body.append(a);"
                + " a.click(); report('clicked');");
        // requests `to` again and again (five every 5 ms) for as long as the page is up
        page("/stray", "setInterval(() => { for (let i = 0; i < 5; i++) { fetch(to, {mode: 'no-cors'}).catch(() => {}); } }, 5);"
                + " report('straying');");
        page("/popup", "const w = window.open(to); report(w ? 'opened' : 'blocked');");
        server.createContext("/link", exchange -> html(exchange,
                "<html><head><title>Link</title></head><body><a id='go' href='" + query(exchange).get("to").replace("'", "%27")
                        + "'>go</a></body></html>"));
        script("/worker.js", "const p = new URLSearchParams(location.search); const to = p.get('to');"
                + " if (p.get('mode') === 'websocket') { const ws = new WebSocket(to);"
                + "   ws.onopen = () => postMessage('open'); ws.onclose = () => postMessage('closed'); }"
                + " else { fetch(to, {mode: 'no-cors'}).then(() => postMessage('ok'), () => postMessage('failed')); }");
        script("/sw.js", "const to = new URLSearchParams(location.search).get('to'); let outcome = 'pending';"
                + " const attempt = fetch(to, {mode: 'no-cors'}).then(() => { outcome = 'ok'; }, () => { outcome = 'failed'; });"
                + " self.addEventListener('install', e => e.waitUntil(attempt));"
                + " self.addEventListener('message', e => attempt.then(() => e.source.postMessage(outcome)));");
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    private void page(String path, String script) {
        server.createContext(path, exchange -> html(exchange, "<html><head><title>" + path.substring(1) + "</title></head><body>"
                + REPORT + "<script>" + script + "</script></body></html>"));
    }

    private void script(String path, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/javascript");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    private static void html(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> values = new ConcurrentHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** This server's page {@code path} aimed at {@code target}. */
    String url(String path, String target) {
        return "http://127.0.0.1:" + port() + path + (path.contains("?") ? "&" : "?") + "to=" + encode(target);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The Connection header of the last /hello request: the egress proxy sends "close", Chromium on its own "keep-alive". */
    String lastConnectionHeader() {
        return lastConnectionHeader;
    }

    int hits(String path) {
        return hits.getOrDefault(path, 0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
