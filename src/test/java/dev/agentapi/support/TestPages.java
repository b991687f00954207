package dev.agentapi.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pages the browser tests open, served on 127.0.0.1 (or another loopback address) by the JDK's HTTP server. A test
 * class registers them as an extension, served from before its first test to after its last:
 *
 * <pre>{@code @RegisterExtension
 * static final TestPages pages = TestPages.perClass();}</pre>
 *
 * Or {@code new TestPages()}, served at once and closed by its caller.
 */
public final class TestPages implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private HttpServer server;
    private final String host;
    private final java.util.Map<String, Integer> hits = new java.util.concurrent.ConcurrentHashMap<>();

    public TestPages() throws IOException {
        host = "127.0.0.1";
        serve();
    }

    /** The test class whose extension served the pages (@Nested classes inherit the extension, not the pages). */
    private String servedFor;

    private TestPages(String host) {
        this.host = host;
    }

    /** Pages served while the test class that registers them runs. */
    public static TestPages perClass() {
        return new TestPages("127.0.0.1");
    }

    /**
     * The same pages on another loopback address: a site of its own to the browser (127.0.0.2 and 127.0.0.1 are
     * different hosts), so a page of the one framing a page of the other is a cross-site frame.
     */
    public static TestPages perClassOn(String host) {
        return new TestPages(host);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (server == null) {
            serve();
            servedFor = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(servedFor)) {
            close();
        }
    }

    private void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        page("/", "<html><head><title>Home</title></head><body><h1 id='h'>Hello</h1>"
                + "<button id='go' onclick=\"document.getElementById('h').textContent='Clicked'\">Go</button></body></html>");
        // an accessibility tree far longer than a snapshot may be (McpServerTest), and yet within the 1 MB text limit
        // of the browser context (the size measured before a snapshot allows about 310 bytes an item)
        page("/long", "<html><head><title>Long</title></head><body><ul>"
                + java.util.stream.IntStream.range(0, 2500).mapToObj(i -> "<li>item " + i + "</li>").collect(java.util.stream.Collectors.joining())
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
        controlPages();
        toolPages();
        hostilePages();
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /**
     * Elements the element actions work on (BrowserActionsTest): each reports what was done to it in {@code #out}
     * (or a field of its own), so a test reads the effect with a text action.
     */
    private void controlPages() {
        page("/controls", "<html><head><title>Controls</title><style>body{margin:0} #box{position:absolute;left:40px;top:700px;"
                + "width:120px;height:60px;background:#ff0000} .zone{width:80px;height:40px;border:1px solid #000}</style></head><body>"
                + "<p id='out'>none</p><p id='key'>none</p><p id='keys'>0</p>"
                + "<select id='color' onchange=\"out.textContent='color ' + this.value\">"
                + "<option value='r'>Red</option><option value='g'>Green</option><option value='b'>Blue</option></select>"
                + "<select id='sizes' multiple onchange=\"out.textContent=[...this.selectedOptions].map(o => o.value).join(',')\"><option value='s'>Small</option><option value='m'>Medium</option>"
                + "<option value='l'>Large</option></select>"
                + "<form id='f' onsubmit=\"event.preventDefault(); out.textContent='submitted ' + q.value\">"
                + "<input id='q' onkeydown=\"keys.textContent=String(Number(keys.textContent)+1)\"></form>"
                + "<input type='checkbox' id='agree' onchange=\"out.textContent='agree ' + this.checked\">"
                + "<span id='hover' onmouseenter=\"out.textContent='hovered'\">hover me</span>"
                + "<div id='src' class='zone' draggable='true' ondragstart=\"event.dataTransfer.setData('text','x')\">drag</div>"
                + "<div id='dst' class='zone' ondragover='event.preventDefault()' "
                + "ondrop=\"event.preventDefault(); out.textContent='dropped'\">drop</div>"
                + "<div id='box'></div><script>document.addEventListener('keydown', e => { key.textContent = e.key; });"
                + "</script></body></html>");
        // a link to the URL in the query (percent-encoded)
        dynamic("/link", query -> "<html><head><title>Link</title></head><body><a id='away' href='"
                + java.net.URLDecoder.decode(query == null ? "/" : query, StandardCharsets.UTF_8).replace("'", "%27") + "'>away</a></body></html>");
        // text that appears, and a text that goes, some time after the load
        page("/later", "<html><head><title>Later</title></head><body><p id='loading'>Loading...</p><p id='ready'></p><script>"
                + "setTimeout(() => { document.getElementById('ready').textContent = 'Ready now'; }, 700);"
                + "setTimeout(() => { document.getElementById('loading').remove(); }, 900);</script></body></html>");
    }

    /**
     * Pages the tools of BrowserToolsTest work on: dialogs, console output and requests, a file input, and a page
     * that answers a little late (a click's load the action waits for).
     */
    private void toolPages() {
        // the rest of the page waits for a script the server answers 400 ms late (committed at once, loaded late)
        page("/late", "<html><head><title>Late</title></head><body><p>on time</p><script src='/late.js'></script>"
                + "<p id='arrived'>arrived late</p></body></html>");
        server.createContext("/late.js", exchange -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "window.late = true;");
        });
        // a form whose Enter leads to the late page (a typed submit's load the action waits for)
        page("/search-late", "<html><head><title>Search</title></head><body><form action='/late'>"
                + "<input id='q' name='q'></form></body></html>");
        page("/dialogs", "<html><head><title>Dialogs</title></head><body><p id='out'>none</p>"
                + "<button id='alert' onclick=\"alert('hello'); out.textContent='alerted'\">alert</button>"
                + "<button id='confirm' onclick=\"out.textContent='confirm ' + confirm('sure?')\">confirm</button>"
                + "<button id='prompt' onclick=\"out.textContent='prompt ' + prompt('name?', 'x')\">prompt</button></body></html>");
        page("/console", "<html><head><title>Console</title></head><body><p id='out'>none</p><script>"
                + "console.log('hello from the page'); console.error('something failed');"
                + "fetch('/result?name=x&access_token=s3cret#frag').then(() => { out.textContent = 'fetched'; });</script></body></html>");
        page("/upload", "<html><head><title>Upload</title></head><body><p id='out'>none</p>"
                + "<input type='file' id='file' multiple onchange=\"Promise.all([...this.files].map(f => f.text().then(t => f.name + ':' + f.type + ':' + t)))"
                + ".then(all => { out.textContent = all.join(','); })\"></body></html>");
        // text that changes 200 ms after the load, by a page timer
        page("/timer", "<html><head><title>Timer</title></head><body><p id='out'>waiting</p><script>"
                + "setTimeout(() => { document.getElementById('out').textContent = 'fired'; }, 200);</script></body></html>");
    }

    /**
     * Pages that try to make the service pull in, or keep, more than it should. Sizes come from the query
     * ({@code ?mb=}, {@code ?w=&h=}); every page builds its bulk in the browser, so the test's server sends little.
     */
    private void hostilePages() {
        // a text node of mb MiB, hidden (no layout: the page stays up) inside an element a selector can read (and in a
        // span of its own: Playwright's preview of an element whose only child is such a text node crashes the renderer)
        dynamic("/big-text", query -> "<html><head><title>Big text</title></head><body><h1>Big</h1><p id='t' style='display:none'>"
                + "<span id='s'></span></p><script>document.getElementById('s').appendChild(document.createTextNode('lorem ipsum '.repeat("
                + number(query, "mb", 2) + " * 1024 * 1024 / 12)));</script></body></html>");
        // a page that frames the URL in ?src= (decoded), beside a heading of its own
        dynamic("/framed", query -> "<html><head><title>Framed</title></head><body><h1>Framed</h1><iframe src='"
                + java.net.URLDecoder.decode(query.substring(query.indexOf("src=") + 4), StandardCharsets.UTF_8)
                + "'></iframe></body></html>");
        // kb KiB of visible text in one paragraph
        dynamic("/visible-text", query -> "<html><head><title>Visible text</title></head><body><p id='s'></p><script>"
                + "document.getElementById('s').appendChild(document.createTextNode('lorem ipsum '.repeat("
                + number(query, "kb", 1) + " * 1024 / 12)));</script></body></html>");
        // a title of `chars` letters, which the page's own scripts then say is "fake" (document.title's getter replaced)
        dynamic("/title", query -> "<html><head><title>" + "T".repeat(number(query, "chars", 5)) + "</title></head><body><h1>Titled</h1>"
                + "<script>Object.defineProperty(Document.prototype, 'title', {get() { return 'fake'; }});</script></body></html>");
        // mb MiB of random letters in a hidden text node: a DOM snapshot of it (a trace's) compresses to little less
        dynamic("/random-text", query -> "<html><head><title>Random text</title></head><body><h1 id='h'>Random</h1>"
                + "<p style='display:none'><span id='s'></span></p><script>const n = " + number(query, "mb", 2) + " * 1024 * 1024;"
                + "const a = new Uint8Array(8192); const parts = [];"
                + "for (let i = 0; i < n; i += a.length) { crypto.getRandomValues(a);"
                + "parts.push(String.fromCharCode.apply(null, Array.from(a, b => 97 + (b % 26)))); }"
                + "document.getElementById('s').appendChild(document.createTextNode(parts.join('')));</script></body></html>");
        // a w x h canvas of random pixels (incompressible as PNG and in a PDF)
        dynamic("/noise", query -> "<html><head><title>Noise</title></head><body style='margin:0'><canvas id='c' width='"
                + number(query, "w", 800) + "' height='" + number(query, "h", 600) + "'></canvas><script>"
                + "const c = document.getElementById('c'); const g = c.getContext('2d');"
                + "for (let y = 0; y < c.height; y += 500) { const rows = Math.min(500, c.height - y);"
                + "const d = g.createImageData(c.width, rows); const u = new Uint32Array(d.data.buffer);"
                + "for (let i = 0; i < u.length; i++) { u[i] = (Math.random() * 0xffffffff) | 0xff000000; }"
                + "g.putImageData(d, 0, y); }</script></body></html>");
        // a w x h page, red at the top and blue at the bottom (compresses well)
        dynamic("/tall", query -> "<html><head><title>Tall</title></head><body style='margin:0'><div style='width:"
                + number(query, "w", 800) + "px;height:" + number(query, "h", 5000)
                + "px;background:linear-gradient(#ff0000 0,#ff0000 100px,#ffffff 100px,#ffffff calc(100% - 100px),#0000ff calc(100% - 100px))'>"
                + "</div></body></html>");
        // an uncaught error whose message is mb MiB (every page error goes to Playwright's client, listened to or not)
        // (five of them, one every 200 ms)
        dynamic("/throw", query -> "<html><head><title>Throw</title></head><body><script>const big = 'x'.repeat("
                + number(query, "mb", 50) + " * 1024 * 1024); let thrown = 0;"
                + "const again = setInterval(() => { if (++thrown >= 5) { clearInterval(again); } throw new Error(big); }, 200);"
                + "</script></body></html>");
        // opens windows as fast as it can, without a user gesture
        page("/popups", "<html><head><title>Popups</title></head><body><p id='out'>0</p><script>let opened = 0;"
                + "function burst() { for (let i = 0; i < 200; i++) { if (window.open('/', '_blank')) { opened++; } }"
                + "document.getElementById('out').textContent = String(opened); if (opened < 5000) { setTimeout(burst, 50); } }"
                + "burst();</script></body></html>");
        // a link that opens a new window each time it is clicked
        page("/popup-link", "<html><head><title>Popup link</title></head><body><a id='open' href='/' target='_blank'>open</a></body></html>");
        // a page with a link to a download of mb MiB, and the download itself (bytes written are counted)
        dynamic("/download-page", query -> "<html><head><title>Download</title></head><body><a id='get' href='/download?mb="
                + number(query, "mb", 1) + "&n=" + number(query, "n", 0) + "&ms=" + number(query, "ms", 0) + "'>get</a></body></html>");
        server.createContext("/download", exchange -> {
            int mb = number(exchange.getRequestURI().getQuery(), "mb", 1);
            int pause = number(exchange.getRequestURI().getQuery(), "ms", 0); // between 64 KiB chunks: a slower download
            String key = "/download?" + exchange.getRequestURI().getQuery();
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"data.bin\"");
            exchange.sendResponseHeaders(200, (long) mb << 20);
            byte[] chunk = new byte[64 * 1024];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(chunk);
            try (java.io.OutputStream body = exchange.getResponseBody()) {
                for (long sent = 0; sent < ((long) mb << 20); sent += chunk.length) {
                    body.write(chunk);
                    downloaded.merge(key, (long) chunk.length, Long::sum);
                    if (pause > 0) {
                        Thread.sleep(pause);
                    }
                }
            } catch (IOException refused) {
                // the browser stopped reading: refused or cancelled
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } finally {
                downloadsDone.merge(key, 1, Integer::sum);
            }
        });
    }

    private final java.util.Map<String, Long> downloaded = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> downloadsDone = new java.util.concurrent.ConcurrentHashMap<>();

    /** Bytes the server wrote of the download {@code /download?mb=...&n=...} (the path and query as served). */
    public long downloaded(String pathAndQuery) {
        return downloaded.getOrDefault(pathAndQuery, 0L);
    }

    /** Whether the server is done with that download (sent it all, or the browser stopped reading). */
    public boolean downloadEnded(String pathAndQuery) {
        return downloadsDone.containsKey(pathAndQuery);
    }

    private void dynamic(String path, java.util.function.Function<String, String> html) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "<html><head><title>Missing</title></head></html>");
                return;
            }
            respond(exchange, 200, html.apply(exchange.getRequestURI().getQuery()));
        });
    }

    private static int number(String query, String name, int absent) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return Integer.parseInt(pair.substring(name.length() + 1));
                }
            }
        }
        return absent;
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
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
