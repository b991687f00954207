package dev.agentapi.browser.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The one way out for browsers: a forward proxy (plain HTTP requests and CONNECT tunnels) on 127.0.0.1.
 * For each request it resolves the host once through {@link EgressPolicy}, judges the addresses, and
 * connects to exactly those; anything refused gets a 403 and never a connection. Bytes are streamed,
 * never buffered whole. Each browser gets a port of its own ({@link #open}), so a refusal is reported to
 * the browser that asked and closing a browser cuts its connections.
 * Plain HTTP is one request per connection ({@code Connection: close} both ways), which keeps every request
 * judged on its own; HTTPS and WebSockets, which Chromium always tunnels, keep their connections.
 *
 * <p>The proxy is shared fairly ({@link EgressLimits}): an agent holds at most {@code maxConnectionsPerAgent}
 * connections, and each port has at most {@code maxInFlightPerPort} connections that are not yet an established
 * tunnel; a connection beyond either is answered 503 at once (marked {@code capped}) and counted for its agent
 * ({@code browser.egress.over_cap}). Established tunnels are carried by one selector thread ({@link TunnelSplicer})
 * and hold no thread; the rest (reading a request, resolving, connecting, a plain exchange) runs on virtual threads
 * where the JVM has them (21+), else on a pool of platform threads sized so every port's in-flight share fits.
 * Tunnels and exchanges silent for {@code idleTimeout} are closed.
 */
public final class EgressProxy implements AutoCloseable {

    /**
     * Marks the proxy's own answers, {@code refused} (403), {@code unreachable} (502) or {@code capped} (503, over
     * a connection cap), so a navigation that ends on one is told apart from a page's own 403, 502 or 503.
     */
    public static final String REFUSAL_HEADER = "X-Agent-Api-Egress";
    private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final InetAddress LOOPBACK = ipv4Loopback();
    private static final int HEAD_TIMEOUT_MS = 30_000;
    private static final int BACKLOG = 64;
    private static final List<String> HOP_BY_HOP = List.of("connection", "proxy-connection", "keep-alive", "proxy-authorization",
            "proxy-authenticate", "te", "trailer", "upgrade");
    private static final byte[] CONNECTION_ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    /**
     * One refused request: what it asked for ({@code host:port}), why, and how ({@code http} or {@code tunnel}).
     * The reason may name the address a name resolved to: it is for operators, never for the page or the client.
     */
    public record Refusal(String kind, String target, String reason) {
    }

    private final EgressPolicy policy;
    private final EgressLimits limits;
    private final MeterRegistry meters;
    private final TaskExecutor workers;
    private final TunnelSplicer tunnels;
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    /** Open connections per agent, over all the ports serving it; an agent with none has no entry. */
    private final Map<String, Integer> perAgent = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter saturated;

    /**
     * {@code places}: how many browsers may use the proxy at once (each gets a port); on a JVM without virtual
     * threads the pool of platform threads holds every port's in-flight share of them.
     */
    public EgressProxy(EgressPolicy policy, EgressLimits limits, int places, MeterRegistry meters) {
        this.policy = policy;
        this.limits = limits;
        this.meters = meters;
        this.workers = connectionThreads((Math.max(1, places) + 1) * limits.maxInFlightPerPort());
        try {
            this.tunnels = new TunnelSplicer(limits.idleTimeout());
        } catch (IOException e) {
            throw new IllegalStateException("The egress proxy cannot open a selector: " + e.getMessage(), e);
        }
        this.saturated = Counter.builder("browser.egress.saturated")
                .description("Browser connections dropped because no egress proxy thread was free").register(meters);
        Gauge.builder("browser.egress.connections", connections, AtomicInteger::get)
                .description("Connections browsers hold open through the egress proxy").register(meters);
        Gauge.builder("browser.egress.tunnels", tunnels, TunnelSplicer::tunnels)
                .description("Established tunnels (HTTPS, WebSockets) the egress proxy carries, on its one tunnel thread")
                .register(meters);
    }

    /**
     * Virtual threads where the JVM has them (21+): a connection waiting on the network then holds no platform
     * thread. On 17, a bounded pool of daemon platform threads; a connection beyond it is dropped and counted
     * ({@code browser.egress.saturated}), which the per-port caps keep from happening.
     */
    private static TaskExecutor connectionThreads(int platformThreads) {
        if (Runtime.version().feature() >= 21) {
            return new VirtualThreadTaskExecutor("egress-");
        }
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(0);
        pool.setMaxPoolSize(platformThreads);
        pool.setQueueCapacity(0);
        pool.setKeepAliveSeconds(60);
        pool.setDaemon(true);
        pool.setThreadNamePrefix("egress-");
        pool.initialize();
        return pool;
    }

    /** A port of its own for one browser; {@code onRefusal} hears about each request of it that is refused. */
    public Listener open(String name, Consumer<Refusal> onRefusal) throws IOException {
        return open(name, LOOPBACK, null, null, () -> name, onRefusal);
    }

    /** As {@link #open(String, InetAddress, Credentials, PortRange, Supplier, Consumer)}, for the agent {@code name}. */
    public Listener open(String name, InetAddress bind, Credentials credentials, PortRange ports, Consumer<Refusal> onRefusal)
            throws IOException {
        return open(name, bind, credentials, ports, () -> name, onRefusal);
    }

    /**
     * A port of its own for a browser on another host: bound to {@code bind} (an address that browser can
     * reach), answering only requests that carry {@code credentials} ({@code Proxy-Authorization: Basic});
     * others get 407 and no connection. Null {@code bind}: 127.0.0.1; null credentials: no proxy authentication.
     * {@code ports}: the range the port is taken from (so a NetworkPolicy can name it); null: any free port.
     * {@code agent}: the agent the browser serves now (a pooled browser's changes when an agent takes it), whose
     * connection cap each new connection counts against.
     */
    public Listener open(String name, InetAddress bind, Credentials credentials, PortRange ports, Supplier<String> agent,
                         Consumer<Refusal> onRefusal) throws IOException {
        Listener listener = new Listener(name, bind == null ? LOOPBACK : bind, credentials, ports, agent, onRefusal);
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
        ServerSocketChannel bind(InetAddress address) throws IOException {
            int size = last - first + 1;
            int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                ServerSocketChannel server = ServerSocketChannel.open();
                try {
                    return server.bind(new InetSocketAddress(address, first + (start + i) % size), BACKLOG);
                } catch (java.net.BindException taken) {
                    server.close(); // next one
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

    /** Connections browsers hold open through the proxy now (for tests and diagnostics). */
    public int connections() {
        return connections.get();
    }

    /** Connections the agent's browser holds open through the proxy now, over all its ports. */
    public int connections(String agent) {
        return perAgent.getOrDefault(agent, 0);
    }

    @Override
    public void close() {
        List.copyOf(listeners).forEach(Listener::close);
        tunnels.close();
        if (workers instanceof ThreadPoolTaskExecutor pool) {
            pool.shutdown();
        }
    }

    /** One browser's entry: a port, its accept thread, and the connections it has open. */
    public final class Listener implements AutoCloseable {

        private final ServerSocketChannel server;
        private final Consumer<Refusal> onRefusal;
        private final Credentials credentials;
        private final Supplier<String> agent;
        private final Semaphore inFlight = new Semaphore(limits.maxInFlightPerPort());
        private final Set<Connection> open = ConcurrentHashMap.newKeySet();

        private Listener(String name, InetAddress bind, Credentials credentials, PortRange ports, Supplier<String> agent,
                         Consumer<Refusal> onRefusal) throws IOException {
            this.onRefusal = onRefusal;
            this.credentials = credentials;
            this.agent = agent;
            this.server = ports == null ? ServerSocketChannel.open().bind(new InetSocketAddress(bind, 0), BACKLOG) : ports.bind(bind);
            Thread acceptor = new Thread(this::accept, "egress-accept-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** {@code http://<bound address>:port}, for the browser's proxy setting. */
        public String url() {
            return url(server.socket().getInetAddress().getHostAddress());
        }

        /** {@code http://host:port}: this port as a browser elsewhere reaches it, through {@code host}. */
        public String url(String host) {
            String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            return "http://" + bracketed + ":" + port();
        }

        public int port() {
            return server.socket().getLocalPort();
        }

        private void accept() {
            while (server.isOpen()) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException closed) {
                    return;
                }
                String owner = agent.get();
                String cap = admit(owner);
                if (cap != null) {
                    refuseOverCap(client, owner, cap);
                    continue;
                }
                Connection connection = new Connection(this, client, owner);
                open.add(connection);
                if (!server.isOpen()) { // closed while this one was admitted: Listener.close may have missed it
                    connection.close();
                    return;
                }
                try {
                    workers.execute(() -> serve(connection));
                } catch (RejectedExecutionException full) {
                    saturated.increment();
                    connection.close();
                }
            }
        }

        /** Takes an in-flight place on this port and a connection of the agent's; null if admitted, else the cap hit. */
        private String admit(String owner) {
            if (!inFlight.tryAcquire()) {
                return "port";
            }
            boolean[] admitted = {false};
            perAgent.compute(owner, (key, held) -> {
                int now = held == null ? 0 : held;
                if (now >= limits.maxConnectionsPerAgent()) {
                    return held;
                }
                admitted[0] = true;
                return now + 1;
            });
            if (!admitted[0]) {
                inFlight.release();
                return "agent";
            }
            connections.incrementAndGet();
            return null;
        }

        private void refuseOverCap(SocketChannel client, String owner, String cap) {
            Counter.builder("browser.egress.over_cap").tag("agent", owner).tag("cap", cap)
                    .description("Browser connections the egress proxy refused because their agent (cap=agent) or "
                            + "egress port (cap=port) had as many as it may").register(meters).increment();
            String message = cap.equals("agent")
                    ? "This browser holds " + limits.maxConnectionsPerAgent() + " connections through the egress proxy, the most one "
                            + "agent may (BROWSER_EGRESS_MAX_CONNECTIONS_PER_AGENT)"
                    : "This browser has " + limits.maxInFlightPerPort() + " requests in flight through the egress proxy, the most "
                            + "one browser may (BROWSER_EGRESS_MAX_IN_FLIGHT_PER_PORT)";
            try {
                answer(client.socket().getOutputStream(), 503, "Service Unavailable", message, "capped");
                tunnels.closeAfterAnswer(client);
            } catch (IOException | RuntimeException gone) {
                closeQuietly(client);
            }
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
            List.copyOf(open).forEach(Connection::close);
            String owner = agent.get();
            if (listeners.stream().noneMatch(other -> owner.equals(other.agent.get()))) {
                // the agent's counts go with its browser: one series per live agent, not per agent ever seen
                meters.find("browser.egress.over_cap").tag("agent", owner).meters().forEach(meters::remove);
            }
        }
    }

    /**
     * One browser connection, from accept to close: counted against its agent from the start, and against its port's
     * in-flight places until it becomes an established tunnel.
     */
    private final class Connection {

        final Listener listener;
        final SocketChannel client;
        final String agent;
        volatile SocketChannel upstream;
        private final AtomicBoolean inFlight = new AtomicBoolean(true);
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean spliced;

        Connection(Listener listener, SocketChannel client, String agent) {
            this.listener = listener;
            this.client = client;
            this.agent = agent;
        }

        /** Hands both sides to the tunnel thread, with the bytes each has already sent; this thread is then free. */
        void splice(ByteBuffer fromClient, SocketChannel upstreamSide, ByteBuffer fromUpstream) {
            spliced = true;
            tunnels.splice(client, fromClient, upstreamSide, fromUpstream, idle -> {
                if (idle) {
                    idleClosed("tunnel");
                }
                close();
            });
            landed();
        }

        boolean spliced() {
            return spliced;
        }

        private void landed() {
            if (inFlight.compareAndSet(true, false)) {
                listener.inFlight.release();
            }
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            closeQuietly(client);
            SocketChannel other = upstream;
            if (other != null) {
                closeQuietly(other);
            }
            if (spliced) {
                tunnels.wakeup();
            }
            landed();
            listener.open.remove(this);
            perAgent.computeIfPresent(agent, (key, held) -> held <= 1 ? null : held - 1);
            connections.decrementAndGet();
        }
    }

    private void idleClosed(String kind) {
        Counter.builder("browser.egress.idle_closed").tag("kind", kind)
                .description("Egress connections closed because no byte moved either way for the idle timeout")
                .register(meters).increment();
    }

    private void serve(Connection connection) {
        Listener listener = connection.listener;
        try {
            Socket client = connection.client.socket();
            client.setSoTimeout(HEAD_TIMEOUT_MS);
            client.setTcpNoDelay(true);
            HttpHead.Reader in = new HttpHead.Reader(client.getInputStream());
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
                tunnel(parts[1], connection, in, out);
            } else {
                forward(head.get(), parts, connection, in, out);
            }
        } catch (SocketTimeoutException idle) {
            idleClosed("http");
        } catch (IOException | RuntimeException ended) {
            log.trace("Egress connection ended: {}", ended.toString());
        } finally {
            if (!connection.spliced()) {
                connection.close();
            }
        }
    }

    /** CONNECT host:port: judged, then a byte tunnel to exactly the judged address. */
    private void tunnel(String authority, Connection connection, HttpHead.Reader in, OutputStream out) throws IOException {
        Target target = Target.ofAuthority(authority, -1);
        if (target == null) {
            answer(out, 400, "Bad Request", "CONNECT needs host:port", null);
            return;
        }
        SocketChannel upstream = connect(target, "tunnel", out, connection);
        if (upstream == null) {
            return;
        }
        // no longer in flight once both ends are connected: given back before the browser can see the 200 and open
        // its next connection (given back after the hand-over, a browser could be refused for a tunnel already up)
        connection.landed();
        out.write(CONNECTION_ESTABLISHED);
        out.flush();
        connection.splice(in.unread(), upstream, null);
    }

    /** An absolute-form request (GET http://host/path): judged, then sent on as the only request of a new connection. */
    private void forward(HttpHead request, String[] parts, Connection connection, HttpHead.Reader in, OutputStream out)
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
        SocketChannel upstream = connect(target, "http", out, connection);
        if (upstream == null) {
            return;
        }
        exchange(request, parts[0] + " " + path + " " + parts[2], connection, in, out, upstream);
    }

    /**
     * Sends the request (its body framed as it came: a length, or chunks through the last), then passes the answer
     * back. An upgrade the origin accepts (101, a WebSocket over plain HTTP) becomes a tunnel from there on.
     */
    private void exchange(HttpHead request, String startLine, Connection connection, HttpHead.Reader in, OutputStream out,
                          SocketChannel upstreamChannel) throws IOException {
        boolean upgrade = request.lists("connection", "upgrade") && request.header("upgrade").isPresent();
        List<String> dropped = new java.util.ArrayList<>(HOP_BY_HOP);
        dropped.addAll(request.connectionTokens());
        HttpHead sent = request.withStartLine(startLine).without(dropped);
        sent = upgrade ? sent.with("Upgrade", request.header("upgrade").get()).with("Connection", "Upgrade")
                : sent.with("Connection", "close");
        int idle = (int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis());
        Socket upstream = upstreamChannel.socket();
        upstream.setSoTimeout(idle);
        connection.client.socket().setSoTimeout(idle);
        OutputStream toUpstream = upstream.getOutputStream();
        sent.writeTo(toUpstream);
        if (request.header("transfer-encoding").isPresent()) {
            HttpHead.copyChunked(in, toUpstream);
        } else {
            copy(in, toUpstream, contentLength(request));
        }
        HttpHead.Reader fromUpstream = new HttpHead.Reader(upstream.getInputStream());
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
            connection.splice(in.unread(), upstreamChannel, fromUpstream.unread());
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
    }

    /**
     * Judges the target and connects to the first judged address that answers. On a refusal or failure the
     * client gets its answer here and null comes back.
     */
    private SocketChannel connect(Target target, String kind, OutputStream out, Connection connection) throws IOException {
        EgressPolicy.Decision decision = policy.decide(target.host());
        // a refused address and a name that does not resolve get the same answer: a page cannot tell from it
        // whether an internal name exists; the listener and the counter (for operators) know which it was
        EgressRules.Refusal why = decision instanceof EgressPolicy.Refused refused ? refused.refusal()
                : decision instanceof EgressPolicy.Unresolvable unresolvable ? new EgressRules.Refusal(unresolvable.reason(), "unresolvable")
                : null;
        if (why != null) {
            Counter.builder("browser.egress.refused").description("Browser requests the egress proxy refused")
                    .tag("kind", kind).tag("rule", why.rule()).register(meters).increment();
            connection.listener.refused(new Refusal(kind, target.host() + ":" + target.port(), why.reason()));
            answer(out, 403, "Forbidden", "Refused by the egress proxy: " + EgressRules.PUBLIC_REASON, "refused");
            return null;
        }
        IOException last = null;
        for (InetAddress address : ((EgressPolicy.Allowed) decision).addresses()) {
            SocketChannel upstream = SocketChannel.open();
            connection.upstream = upstream; // closing the connection also ends a connect in progress
            try {
                upstream.socket().connect(new InetSocketAddress(address, target.port()), CONNECT_TIMEOUT_MS);
                upstream.socket().setTcpNoDelay(true);
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

    /**
     * The {@code host:port} a refusal of a request for {@code url} names ({@link Refusal#target()}), or null when
     * {@code url} is not an http(s) URL with a host.
     */
    public static String targetOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawAuthority() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return null;
            }
            String authority = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
            Target target = Target.ofAuthority(authority, scheme.equals("https") ? 443 : 80);
            return target == null ? null : target.host() + ":" + target.port();
        } catch (java.net.URISyntaxException e) {
            return null;
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
