package dev.agentapi.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A site with a login, on 127.0.0.1, for the saved-state tests: {@code /login?user=U&secret=S} sets the HttpOnly
 * session cookie {@code session=S} (the server remembers S as U's session) and a page script keeps
 * {@code note=note-of-U} in localStorage and {@code tab-note=tab-of-U} in the tab's sessionStorage (with
 * {@code &then=/profile} it sends the browser there instead, the login and the page it shows in one navigation, no
 * script); {@code /profile} answers {@code Logged in as U} to that cookie (else {@code Anonymous}), in its title too,
 * and shows the localStorage note ({@code #note}) and the tab's sessionStorage note ({@code #tab-note}) as its script
 * finds them while the page loads; {@code /big?kb=N} keeps N KiB in localStorage.
 */
final class LoginPages implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/login", exchange -> {
            Map<String, String> query = query(exchange);
            sessions.put(query.get("secret"), query.get("user"));
            exchange.getResponseHeaders().add("Set-Cookie", "session=" + query.get("secret") + "; Path=/; HttpOnly; Max-Age=3600");
            if (query.containsKey("then")) { // logged in and on to that page in one navigation
                exchange.getResponseHeaders().add("Location", query.get("then"));
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            respond(exchange, "<html><head><title>Logged in</title></head><body><p id='who'>Welcome</p>"
                    + "<script>localStorage.setItem('note', 'note-of-" + query.get("user") + "');"
                    + " sessionStorage.setItem('tab-note', 'tab-of-" + query.get("user") + "')</script></body></html>");
        });
        server.createContext("/profile", exchange -> {
            String cookies = exchange.getRequestHeaders().getFirst("Cookie");
            String user = null;
            if (cookies != null) {
                for (String cookie : cookies.split(";\\s*")) {
                    if (cookie.startsWith("session=")) {
                        user = sessions.get(cookie.substring("session=".length()));
                    }
                }
            }
            String who = user == null ? "Anonymous" : "Logged in as " + user;
            respond(exchange, "<html><head><title>Profile: " + who + "</title></head><body><p id='who'>"
                    + who + "</p><p id='note'></p><p id='tab-note'></p>"
                    + "<script>document.getElementById('note').textContent = localStorage.getItem('note') || 'no note';"
                    + " document.getElementById('tab-note').textContent = sessionStorage.getItem('tab-note') || 'no tab note'</script>"
                    + "</body></html>");
        });
        server.createContext("/big", exchange -> {
            int kb = Integer.parseInt(query(exchange).get("kb"));
            respond(exchange, "<html><head><title>Big</title></head><body><script>localStorage.setItem('big', 'x'.repeat("
                    + (kb * 1024) + "))</script></body></html>");
        });
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> values = new ConcurrentHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
