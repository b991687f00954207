package dev.agentapi.browser.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way out for browsers: a forward proxy (plain HTTP requests and CONNECT tunnels) on 127.0.0.1.
 * For each request it resolves the host once through {@link EgressPolicy}, judges the addresses, and
 * connects to exactly those; anything refused gets a 403 and never a connection. Bytes are streamed,
 * never buffered whole. Each browser gets a port of its own ({@link #open}), so a refusal is reported to
 * the browser that asked and closing a browser cuts its connections; the worker threads are shared and bounded.
 * Plain HTTP is one request per connection ({@code Connection: close} both ways), which keeps every request
 * judged on its own; HTTPS and WebSockets, which Chromium always tunnels, keep their connections.
 */
public final class EgressProxy implements AutoCloseable {

    /**
     * Marks the proxy's own answers, {@code refused} (403) or {@code unreachable} (502), so a navigation that
     * ends on one is told apart from a page's own 403 or 502.
     */
    public static final String REFUSAL_HEADER = "X-Agent-Api-Egress";
    private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final InetAddress LOOPBACK = ipv4Loopback();
    private static final int HEAD_TIMEOUT_MS = 30_000;
    /** A plain HTTP exchange silent this long is dropped; tunnels (WebSockets) may idle for as long as the browser keeps them. */
    private static final int EXCHANGE_IDLE_MS = 300_000;
    private static final List<String> HOP_BY_HOP = List.of("connection", "proxy-connection", "keep-alive", "proxy-authorization",
            "proxy-authenticate", "te", "trailer", "upgrade");

    /** One refused request: what it asked for ({@code host:port}), why, and how ({@code http} or {@code tunnel}). */
    public record Refusal(String kind, String target, String reason) {
    }

    private final EgressPolicy policy;
    private final MeterRegistry meters;
    private static final byte[] CONNECTION_ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private final ThreadPoolExecutor workers;
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final Counter saturated;

    /** {@code maxThreads}: a tunnel takes two, a plain request one; beyond that new connections are dropped. */
    public EgressProxy(EgressPolicy policy, int maxThreads, MeterRegistry meters) {
        this.policy = policy;
        this.meters = meters;
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "egress-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.saturated = Counter.builder("browser.egress.saturated")
                .description("Browser connections dropped because every egress proxy thread was busy").register(meters);
    }

    /** A port of its own for one browser; {@code onRefusal} hears about each request of it that is refused. */
    public Listener open(String name, Consumer<Refusal> onRefusal) throws IOException {
        return open(name, LOOPBACK, null, null, onRefusal);
    }

    /**
     * A port of its own for a browser on another host: bound to {@code bind} (an address that browser can
     * reach), answering only requests that carry {@code credentials} ({@code Proxy-Authorization: Basic});
     * others get 407 and no connection. Null {@code bind}: 127.0.0.1; null credentials: no proxy authentication.
     * {@code ports}: the range the port is taken from (so a NetworkPolicy can name it); null: any free port.
     */
    public Listener open(String name, InetAddress bind, Credentials credentials, PortRange ports, Consumer<Refusal> onRefusal)
            throws IOException {
        Listener listener = new Listener(name, bind == null ? LOOPBACK : bind, credentials, ports, onRefusal);
        listeners.add(listener);
        return listener;
    }

    /** Ports {@code first} to {@code last}, both included. */
    public record PortRange(int first, int last) {

        public PortRange {
            if (first < 1 || last > 65535 || first > last) {
                throw new IllegalArgumentException("A port range is first-last within 1-65535, first not above last");
            }
        }

        /** {@code "20000-20099"} or a single port. */
        public static PortRange parse(String range) {
            String[] parts = range.strip().split("-", 2);
            try {
                int first = Integer.parseInt(parts[0].strip());
                return new PortRange(first, parts.length == 1 ? first : Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("A port range reads first-last, for example 20000-20099; got \"" + range + "\"");
            }
        }

        /** A server socket on the first free port of the range, starting the search at a random one. */
        ServerSocket bind(InetAddress address) throws IOException {
            int size = last - first + 1;
            int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                try {
                    return new ServerSocket(first + (start + i) % size, 64, address);
                } catch (java.net.BindException taken) {
                    // next one
                }
            }
            throw new java.net.BindException("No free port in " + first + "-" + last + " on " + address.getHostAddress());
        }
    }

    /**
     * A user name and password one browser proxies with, random per browser (24 bytes of
     * {@link SecureRandom} each), so a browser on another host can use no port but its own.
     */
    public record Credentials(String username, String password) {

        private static final SecureRandom RANDOM = new SecureRandom();

        public static Credentials random() {
            return new Credentials("agent-" + token(), token());
        }

        private static String token() {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        /** True when {@code header} ({@code Proxy-Authorization}'s value) names exactly these credentials. */
        boolean acceptedIn(Optional<String> header) {
            if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
            byte[] given;
            try {
                given = java.util.Base64.getDecoder().decode(header.get().substring(6).strip());
            } catch (IllegalArgumentException malformed) {
                return false;
            }
            return MessageDigest.isEqual(expected, given);
        }

        @Override
        public String toString() {
            return "Credentials[" + username + ", password hidden]";
        }
    }

    /** Threads serving connections now (for tests and diagnostics). */
    public int activeThreads() {
        return workers.getActiveCount();
    }

    @Override
    public void close() {
        List.copyOf(listeners).forEach(Listener::close);
        workers.shutdownNow();
    }

    /** One browser's entry: a loopback port, its accept thread, and the connections it has open. */
    public final class Listener implements AutoCloseable {

        private final ServerSocket server;
        private final Consumer<Refusal> onRefusal;
        private final Credentials credentials;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        private Listener(String name, InetAddress bind, Credentials credentials, PortRange ports, Consumer<Refusal> onRefusal)
                throws IOException {
            this.onRefusal = onRefusal;
            this.credentials = credentials;
            this.server = ports == null ? new ServerSocket(0, 64, bind) : ports.bind(bind);
            Thread acceptor = new Thread(this::accept, "egress-accept-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** {@code http://<bound address>:port}, for the browser's proxy setting. */
        public String url() {
            return url(server.getInetAddress().getHostAddress());
        }

        /** {@code http://host:port}: this port as a browser elsewhere reaches it, through {@code host}. */
        public String url(String host) {
            String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            return "http://" + bracketed + ":" + server.getLocalPort();
        }

        public int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException closed) {
                    return;
                }
                open.add(client);
                try {
                    workers.execute(() -> serve(client, this));
                } catch (RejectedExecutionException full) {
                    saturated.increment();
                    forget(client);
                }
            }
        }

        private void forget(Socket socket) {
            open.remove(socket);
            closeQuietly(socket);
        }

        private void refused(Refusal refusal) {
            try {
                onRefusal.accept(refusal);
            } catch (RuntimeException e) {
                log.debug("Refusal listener failed: {}", e.getMessage());
            }
        }

        /** Stops accepting and cuts every connection this browser still has. */
        @Override
        public void close() {
            listeners.remove(this);
            closeQuietly(server);
            List.copyOf(open).forEach(this::forget);
        }
    }

    private void serve(Socket client, Listener listener) {
        try {
            client.setSoTimeout(HEAD_TIMEOUT_MS);
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Optional<HttpHead> head = HttpHead.read(in);
            if (head.isEmpty()) {
                return;
            }
            String[] parts = head.get().startLine().split(" ");
            if (listener.credentials != null && !listener.credentials.acceptedIn(head.get().header("Proxy-Authorization"))) {
                // no target is judged, resolved or reached for a request without this browser's credentials
                answerProxyAuthentication(out);
            } else if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                answer(out, 400, "Bad Request", "Not an HTTP/1 proxy request", null);
            } else if (parts[0].equals("CONNECT")) {
                tunnel(parts[1], client, in, out, listener);
            } else {
                forward(head.get(), parts, client, in, out, listener);
            }
        } catch (IOException | RuntimeException ended) {
            log.trace("Egress connection ended: {}", ended.toString());
        } finally {
            listener.forget(client);
        }
    }

    /** CONNECT host:port: judged, then a byte tunnel to exactly the judged address. */
    private void tunnel(String authority, Socket client, InputStream in, OutputStream out, Listener listener) throws IOException {
        Target target = Target.ofAuthority(authority, -1);
        if (target == null) {
            answer(out, 400, "Bad Request", "CONNECT needs host:port", null);
            return;
        }
        Socket upstream = connect(target, "tunnel", out, listener);
        if (upstream == null) {
            return;
        }
        try (upstream) {
            client.setSoTimeout(0);
            splice(client, in, out, upstream, upstream.getInputStream());
        }
    }

    /** An absolute-form request (GET http://host/path): judged, then sent on as the only request of a new connection. */
    private void forward(HttpHead request, String[] parts, Socket client, InputStream in, OutputStream out, Listener listener)
            throws IOException {
        String uri = parts[1];
        if (!uri.regionMatches(true, 0, "http://", 0, 7)) {
            answer(out, 400, "Bad Request", "Only absolute http:// requests and CONNECT are proxied", null);
            return;
        }
        int pathStart = uri.length();
        for (int i = 7; i < uri.length(); i++) {
            if ("/?#".indexOf(uri.charAt(i)) >= 0) {
                pathStart = i;
                break;
            }
        }
        String authority = uri.substring(7, pathStart);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        Target target = Target.ofAuthority(authority, 80);
        if (target == null) {
            answer(out, 400, "Bad Request", "The request has no valid host", null);
            return;
        }
        String path = uri.substring(pathStart);
        int fragment = path.indexOf('#');
        path = fragment < 0 ? path : path.substring(0, fragment);
        path = path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        Socket upstream = connect(target, "http", out, listener);
        if (upstream == null) {
            return;
        }
        try (upstream) {
            exchange(request, parts[0] + " " + path + " " + parts[2], client, in, out, upstream);
        }
    }

    private void exchange(HttpHead request, String startLine, Socket client, InputStream in, OutputStream out, Socket upstream)
            throws IOException {
        boolean upgrade = request.lists("connection", "upgrade") && request.header("upgrade").isPresent();
        List<String> dropped = new java.util.ArrayList<>(HOP_BY_HOP);
        dropped.addAll(request.connectionTokens());
        HttpHead sent = request.withStartLine(startLine).without(dropped);
        sent = upgrade ? sent.with("Upgrade", request.header("upgrade").get()).with("Connection", "Upgrade")
                : sent.with("Connection", "close");
        upstream.setSoTimeout(EXCHANGE_IDLE_MS);
        client.setSoTimeout(EXCHANGE_IDLE_MS);
        OutputStream toUpstream = upstream.getOutputStream();
        sent.writeTo(toUpstream);
        boolean chunked = request.header("transfer-encoding").isPresent();
        Future<?> requestBody = null;
        if (upgrade || chunked) {
            requestBody = workers.submit(() -> pump(in, toUpstream, upstream));
        } else {
            copy(in, toUpstream, contentLength(request));
        }
        InputStream fromUpstream = new BufferedInputStream(upstream.getInputStream());
        HttpHead response;
        int status;
        while (true) {
            response = HttpHead.read(fromUpstream).orElseThrow(() -> new EOFException("no response"));
            status = status(response);
            if (status >= 200 || status == 101) {
                break;
            }
            response.writeTo(out); // 1xx interim answers pass through as they are
        }
        if (status == 101) {
            response.writeTo(out);
            client.setSoTimeout(0);
            upstream.setSoTimeout(0);
            pump(fromUpstream, out, client);
            return;
        }
        List<String> responseHop = new java.util.ArrayList<>(HOP_BY_HOP);
        responseHop.addAll(response.connectionTokens());
        response.without(responseHop).with("Connection", "close").writeTo(out);
        boolean bodiless = request.startLine().startsWith("HEAD ") || status == 204 || status == 304;
        if (!bodiless) {
            long length = response.header("transfer-encoding").isPresent() ? -1 : contentLength(response);
            if (length >= 0 && response.header("content-length").isPresent()) {
                copy(fromUpstream, out, length);
            } else {
                fromUpstream.transferTo(out); // ends when the origin closes, as Connection: close asked it to
            }
        }
        out.flush();
        if (requestBody != null) {
            requestBody.cancel(true);
        }
    }

    /**
     * Judges the target and connects to the first judged address that answers. On a refusal or failure the
     * client gets its answer here and null comes back.
     */
    private Socket connect(Target target, String kind, OutputStream out, Listener listener) throws IOException {
        EgressPolicy.Decision decision = policy.decide(target.host());
        if (decision instanceof EgressPolicy.Refused refused) {
            EgressRules.Refusal why = refused.refusal();
            Counter.builder("browser.egress.refused").description("Browser requests the egress proxy refused")
                    .tag("kind", kind).tag("rule", why.rule()).register(meters).increment();
            listener.refused(new Refusal(kind, target.host() + ":" + target.port(), why.reason()));
            answer(out, 403, "Forbidden", "Refused by the egress proxy: " + why.reason(), "refused");
            return null;
        }
        if (decision instanceof EgressPolicy.Unresolvable unresolvable) {
            answer(out, 502, "Bad Gateway", unresolvable.reason(), "unreachable");
            return null;
        }
        IOException last = null;
        for (InetAddress address : ((EgressPolicy.Allowed) decision).addresses()) {
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(address, target.port()), CONNECT_TIMEOUT_MS);
                upstream.setTcpNoDelay(true);
                return upstream;
            } catch (IOException e) {
                closeQuietly(upstream);
                last = e;
            }
        }
        answer(out, 502, "Bad Gateway", target.host() + ":" + target.port() + " is unreachable"
                + (last == null || last.getMessage() == null ? "" : " (" + last.getMessage() + ")"), "unreachable");
        return null;
    }

    /**
     * Both directions of a tunnel; each side's end is passed on as a half-close, and the tunnel ends when both have
     * ended. The second thread is taken before the browser hears "200", and it is the one that says it, so a tunnel
     * that is answered always holds both of its threads (and no byte from upstream can overtake the answer).
     */
    private void splice(Socket client, InputStream fromClient, OutputStream toClient, Socket upstream, InputStream fromUpstream)
            throws IOException {
        Future<?> down;
        try {
            down = workers.submit(() -> {
                toClient.write(CONNECTION_ESTABLISHED);
                toClient.flush();
                return pump(fromUpstream, toClient, client);
            });
        } catch (RejectedExecutionException full) {
            saturated.increment();
            answer(toClient, 503, "Service Unavailable", "Every egress proxy thread is busy", null);
            return;
        }
        pump(fromClient, upstream.getOutputStream(), upstream);
        try {
            down.get();
        } catch (Exception ended) {
            // the other direction failed or the proxy is closing: the sockets close below
        }
    }

    /** Copies until the end of {@code from}, then half-closes {@code to}'s socket. */
    private static Void pump(InputStream from, OutputStream to, Socket toSocket) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
            }
            toSocket.shutdownOutput();
        } catch (IOException ended) {
            closeQuietly(toSocket);
        }
        return null;
    }

    private static void copy(InputStream from, OutputStream to, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = from.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the body ended early");
            }
            to.write(buffer, 0, n);
            left -= n;
        }
        to.flush();
    }

    private static long contentLength(HttpHead head) throws IOException {
        Optional<String> value = head.header("content-length");
        if (value.isEmpty()) {
            return 0;
        }
        try {
            long length = Long.parseLong(value.get());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new java.net.ProtocolException("bad Content-Length");
        }
    }

    private static int status(HttpHead response) throws IOException {
        String[] parts = response.startLine().split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new java.net.ProtocolException("bad status line");
        }
    }

    /** {@code mark}: the {@link #REFUSAL_HEADER} value, or null for answers to requests that were no proxy requests. */
    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void answerProxyAuthentication(OutputStream out) throws IOException {
        byte[] body = "Proxy authentication required\n".getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"agent-api egress\"\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (SocketException gone) {
            // the browser gave up first
        }
    }

    private static void answer(OutputStream out, int status, String phrase, String message, String mark) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Cache-Control: no-store\r\n" + (mark != null ? REFUSAL_HEADER + ": " + mark + "\r\n" : "")
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (SocketException gone) {
            // the browser gave up first
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** Host (a name or literal, brackets removed) and port of a request. */
    record Target(String host, int port) {

        /** {@code defaultPort} -1: the port is required (CONNECT). */
        static Target ofAuthority(String authority, int defaultPort) {
            String host;
            String port = null;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = authority.substring(1, close);
                String rest = authority.substring(close + 1);
                if (rest.startsWith(":")) {
                    port = rest.substring(1);
                } else if (!rest.isEmpty()) {
                    return null;
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                port = colon < 0 ? null : authority.substring(colon + 1);
                if (host.indexOf(':') >= 0) {
                    return null;
                }
            }
            int number = defaultPort;
            if (port != null) {
                try {
                    number = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (host.isEmpty() || number < 1 || number > 65535) {
                return null;
            }
            return new Target(host.toLowerCase(Locale.ROOT), number);
        }
    }
}
