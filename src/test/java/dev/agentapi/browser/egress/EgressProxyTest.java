package dev.agentapi.browser.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy on its own, driven over real sockets: what it refuses, what it streams, and how it ends connections. */
class EgressProxyTest {

    static final byte[] BIG = new byte[12 * 1024 * 1024];

    static {
        new Random(7).nextBytes(BIG);
    }

    SimpleMeterRegistry meters;
    final List<EgressProxy.Refusal> refusals = new CopyOnWriteArrayList<>();
    final AtomicInteger deniedAccepts = new AtomicInteger();
    final AtomicInteger hanging = new AtomicInteger();
    final CountDownLatch released = new CountDownLatch(1);
    HttpServer origin;
    ServerSocket deniedHost;
    ServerSocket echo;
    EgressProxy proxy;
    EgressProxy.Listener port;
    volatile String receivedDigest;

    @BeforeEach
    void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, BIG.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(BIG);
            }
        });
        origin.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < BIG.length; i += 100_000) {
                    body.write(BIG, i, Math.min(100_000, BIG.length - i));
                }
            }
        });
        origin.createContext("/upload", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                receivedDigest = sha256(in.readAllBytes());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        origin.createContext("/hang", exchange -> { // answers only when the test ends
            hanging.incrementAndGet();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        origin.setExecutor(Executors.newCachedThreadPool());
        origin.start();
        deniedHost = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
        echo = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!deniedHost.isClosed()) {
                try {
                    deniedHost.accept().close();
                    deniedAccepts.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        Thread echoer = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // closed
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        echoer.setDaemon(true);
        echoer.start();
        proxy(EgressLimits.DEFAULTS, 2);
    }

    void proxy(EgressLimits limits, int places) throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        meters = new SimpleMeterRegistry(); // the proxy's gauges are its own
        HostResolver resolver = name -> switch (name) {
            case "denied.test" -> List.of(InetAddress.getByName("127.0.0.2"));
            case "nowhere.test" -> throw new java.net.UnknownHostException(name);
            default -> HostResolver.SYSTEM.resolve(name);
        };
        proxy = new EgressProxy(new EgressPolicy(new EgressRules(List.of("127.0.0.1"), List.of(), true), resolver), limits, places, meters);
        port = proxy.open("test", refusals::add);
    }

    @AfterEach
    void stop() throws IOException {
        released.countDown();
        proxy.close();
        origin.stop(0);
        deniedHost.close();
        echo.close();
    }

    HttpClient client() {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port.port())))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String origin(String path) {
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    /** Sends a raw request head through the proxy and returns the answer's status line and header lines. */
    List<String> raw(Socket socket, String head) throws IOException {
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null && !line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void refusedTargetsGet403AndNoConnection() throws Exception {
        int port = deniedHost.getLocalPort();
        for (String head : List.of("CONNECT denied.test:" + port + " HTTP/1.1\r\nHost: denied.test\r\n\r\n",
                "CONNECT 127.0.0.2:" + port + " HTTP/1.1\r\n\r\n", "CONNECT [::ffff:127.0.0.2]:" + port + " HTTP/1.1\r\n\r\n",
                "CONNECT 0x7f000002:" + port + " HTTP/1.1\r\n\r\n", "CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n",
                "GET http://denied.test:" + port + "/ HTTP/1.1\r\nHost: denied.test\r\n\r\n",
                "GET http://2130706434:" + port + "/x HTTP/1.1\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", this.port.port())) {
                List<String> answer = raw(socket, head);
                assertThat(answer.get(0)).as(head).startsWith("HTTP/1.1 403");
                assertThat(answer).as(head).contains(EgressProxy.REFUSAL_HEADER + ": refused");
            }
        }
        assertThat(deniedAccepts.get()).isZero();
        assertThat(refusals).hasSize(7);
        assertThat(refusals.get(0).target()).isEqualTo("denied.test:" + port);
        assertThat(meters.get("browser.egress.refused").tag("kind", "tunnel").tag("rule", "private_network").counter().count()).isEqualTo(4);
        assertThat(meters.get("browser.egress.refused").tag("kind", "tunnel").tag("rule", "always_denied").counter().count()).isEqualTo(1);
        assertThat(meters.get("browser.egress.refused").tag("kind", "http").counter().count()).isEqualTo(2);
    }

    @Test
    void aPortWithCredentialsAnswersOnlyRequestsCarryingThem() throws Exception {
        EgressProxy.Credentials credentials = EgressProxy.Credentials.random();
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        EgressProxy.Listener guarded = proxy.open("remote", InetAddress.getByName("127.0.0.1"), credentials,
                new EgressProxy.PortRange(freePort, freePort), refusals::add);
        assertThat(guarded.port()).isEqualTo(freePort);
        String target = "127.0.0.1:" + echo.getLocalPort();
        String right = java.util.Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        String wrong = java.util.Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + EgressProxy.Credentials.random().password()).getBytes(StandardCharsets.UTF_8));
        for (String head : List.of("CONNECT " + target + " HTTP/1.1\r\n\r\n",
                "CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: Basic " + wrong + "\r\n\r\n",
                "CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: Basic not-base64!\r\n\r\n",
                "GET " + origin("/big") + " HTTP/1.1\r\n\r\n",
                "CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", guarded.port())) {
                List<String> answer = raw(socket, head);
                assertThat(answer.get(0)).as(head).startsWith("HTTP/1.1 407");
                assertThat(answer).as(head).contains("Proxy-Authenticate: Basic realm=\"agent-api egress\"");
            }
        }
        assertThat(refusals).as("nothing was judged for a request without the credentials").isEmpty();
        try (Socket socket = new Socket("127.0.0.1", guarded.port())) {
            assertThat(raw(socket, "CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: Basic " + right + "\r\n\r\n").get(0))
                    .startsWith("HTTP/1.1 200");
        }
        try (Socket socket = new Socket("127.0.0.1", guarded.port())) {
            assertThat(raw(socket, "CONNECT 169.254.169.254:80 HTTP/1.1\r\nProxy-Authorization: Basic " + right + "\r\n\r\n")
                    .get(0)).as("credentials do not lift the rules").startsWith("HTTP/1.1 403");
        }
        assertThat(credentials.toString()).doesNotContain(credentials.password());
    }

    @Test
    void bodiesStreamThroughIntactBothWays() throws Exception {
        HttpClient client = client();
        HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(java.net.URI.create(origin("/big"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(sha256(big.body())).isEqualTo(sha256(BIG));
        HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(java.net.URI.create(origin("/chunked"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sha256(chunked.body())).isEqualTo(sha256(BIG));

        HttpResponse<Void> upload = client.send(HttpRequest.newBuilder(java.net.URI.create(origin("/upload")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(BIG)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(upload.statusCode()).isEqualTo(204);
        assertThat(receivedDigest).isEqualTo(sha256(BIG));
        receivedDigest = null;
        // an InputStream publisher has no length: the body goes chunked
        client.send(HttpRequest.newBuilder(java.net.URI.create(origin("/upload")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(BIG))).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(receivedDigest).isEqualTo(sha256(BIG));
    }

    @Test
    void tunnelsCarryBytesUntilTheBrowsersPortCloses() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port.port())) {
            List<String> answer = raw(socket, "CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n");
            assertThat(answer.get(0)).startsWith("HTTP/1.1 200");
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");

            port.close();

            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).as("the tunnel is cut").isEqualTo(-1);
        }
    }

    @Test
    void unreachableTargetsGet502MarkedAsTheProxys() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        for (String head : List.of("GET http://127.0.0.1:" + closed + "/ HTTP/1.1\r\n\r\n", "CONNECT 127.0.0.1:" + closed + " HTTP/1.1\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", port.port())) {
                List<String> answer = raw(socket, head);
                assertThat(answer.get(0)).as(head).startsWith("HTTP/1.1 502");
                assertThat(answer).as(head).contains(EgressProxy.REFUSAL_HEADER + ": unreachable");
            }
        }
        assertThat(refusals).isEmpty();
    }

    @Test
    void aNameThatDoesNotResolveGetsTheAnswerOfARefusedOneAndNeitherNamesTheAddress() throws Exception {
        int port = deniedHost.getLocalPort();
        for (String kind : List.of("GET http://%s:%d/ HTTP/1.1\r\nHost: %s\r\n\r\n", "CONNECT %s:%d HTTP/1.1\r\nHost: %s\r\n\r\n")) {
            String refused = exchange(kind.formatted("denied.test", port, "denied.test"));
            String unresolvable = exchange(kind.formatted("nowhere.test", port, "nowhere.test"));
            assertThat(unresolvable).as(kind).isEqualTo(refused).startsWith("HTTP/1.1 403")
                    .contains("the address is not allowed").doesNotContain("127.0.0.2");
        }
        assertThat(deniedAccepts.get()).isZero();
        // the operators' side tells them apart, and names the address
        assertThat(refusals).extracting(EgressProxy.Refusal::reason).anySatisfy(r -> assertThat(r).contains("127.0.0.2"))
                .anySatisfy(r -> assertThat(r).contains("does not resolve"));
        assertThat(meters.get("browser.egress.refused").tag("rule", "unresolvable").counters()).hasSize(2);
    }

    /** The whole answer (status, headers, body) to one request head. */
    String exchange(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", this.port.port())) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void addressesThatAreNeverReachableAreRefusedBeforeAnyConnection() throws Exception {
        for (String target : List.of("168.63.129.16:80", "100.100.100.200:80", "[fd00:ec2::254]:80", "192.0.0.9:80", "198.18.0.1:443",
                "240.0.0.1:80", "[64:ff9b:1::a9fe:a9fe]:80", "[2001:db8::1]:443", "[2002:a9fe:a9fe::]:80")) {
            // a connection attempt to any of these would end in a 502 after the connect timeout, never in a 403 at once
            assertThat(exchange("CONNECT " + target + " HTTP/1.1\r\n\r\n")).as(target).startsWith("HTTP/1.1 403")
                    .contains(EgressProxy.REFUSAL_HEADER + ": refused");
        }
        assertThat(meters.get("browser.egress.refused").tag("rule", "always_denied").counter().count()).isEqualTo(9);
    }

    @Test
    void requestsThatAreNoProxyRequestsAreRefused() throws Exception {
        for (String head : List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET ftp://example.com/ HTTP/1.1\r\n\r\n",
                "CONNECT example.com HTTP/1.1\r\n\r\n", "CONNECT example.com:99999 HTTP/1.1\r\n\r\n", "nonsense\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", port.port())) {
                assertThat(raw(socket, head).get(0)).as(head).startsWith("HTTP/1.1 400");
            }
        }
    }

    /** Reads a response head byte by byte, so nothing after it is taken from the socket. */
    static List<String> head(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            text.append((char) b);
            if (text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return List.of(text.toString().split("\r\n"));
    }

    /** A tunnel through {@code through} to the echo server, checked by one round trip. */
    Socket tunnel(EgressProxy.Listener through) throws IOException {
        Socket socket = new Socket("127.0.0.1", through.port());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(head(socket.getInputStream()).get(0)).startsWith("HTTP/1.1 200");
        assertEchoes(socket);
        return socket;
    }

    static void assertEchoes(Socket socket) throws IOException {
        socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
    }

    static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    double overCap(String agent, String cap) {
        io.micrometer.core.instrument.Counter counter = meters.find("browser.egress.over_cap").tag("agent", agent).tag("cap", cap).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anAgentBeyondItsConnectionCapIsAnswered503AndCountedWhileAnotherAgentConnects() throws Exception {
        proxy(new EgressLimits(3, 8, Duration.ofMinutes(2)), 2);
        EgressProxy.Listener other = proxy.open("other", refusals::add);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(tunnel(port));
            }
            try (Socket refused = new Socket("127.0.0.1", port.port())) {
                refused.setSoTimeout(10_000);
                refused.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                List<String> answer = head(refused.getInputStream());
                assertThat(answer.get(0)).startsWith("HTTP/1.1 503");
                assertThat(answer).contains(EgressProxy.REFUSAL_HEADER + ": capped");
            }
            assertThat(overCap("test", "agent")).isEqualTo(1);
            assertThat(proxy.connections("test")).isEqualTo(3);

            held.add(tunnel(other)); // another agent's browser is not affected
            assertThat(overCap("other", "agent")).isZero();

            held.remove(0).close(); // a connection given back makes room again
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.connections("test") == 2);
            held.add(tunnel(port));
        } finally {
            closeAll(held);
        }
    }

    @Test
    void establishedTunnelsHoldNoThread() throws Exception {
        // on a JVM without virtual threads, this proxy has (1 + 1) × 2 = 4 platform threads for its connections
        proxy(new EgressLimits(100, 2, Duration.ofMinutes(2)), 1);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                held.add(tunnel(port));
            }
            for (Socket socket : held) {
                assertEchoes(socket); // all 40 at once, each still carrying bytes
            }
            assertThat(proxy.connections("test")).isEqualTo(40);
            assertThat(meters.get("browser.egress.tunnels").gauge().value()).isEqualTo(40);
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith("egress-") && !name.startsWith("egress-accept") && !name.equals("egress-tunnels")))
                    .as("connection threads").hasSizeLessThanOrEqualTo(4);
        } finally {
            closeAll(held);
        }
    }

    @Test
    void requestsInFlightBeyondAPortsCapAreAnswered503AndCounted() throws Exception {
        proxy(new EgressLimits(100, 2, Duration.ofMinutes(2)), 2);
        List<Socket> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket socket = new Socket("127.0.0.1", port.port());
                socket.getOutputStream().write(("GET " + origin("/hang") + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                waiting.add(socket);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> hanging.get() == 2);
            try (Socket third = new Socket("127.0.0.1", port.port())) {
                third.setSoTimeout(10_000);
                third.getOutputStream().write(("GET " + origin("/big") + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                List<String> answer = head(third.getInputStream());
                assertThat(answer.get(0)).startsWith("HTTP/1.1 503");
                assertThat(answer).contains(EgressProxy.REFUSAL_HEADER + ": capped");
            }
            assertThat(overCap("test", "port")).isEqualTo(1);
            // a tunnel, once established, gives its in-flight place back
            released.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.connections("test") == 0);
            List<Socket> tunnels = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tunnels.add(tunnel(port));
            }
            closeAll(tunnels);
        } finally {
            closeAll(waiting);
        }
    }

    @Test
    void silentTunnelsAndExchangesAreClosedAfterTheIdleTimeout() throws Exception {
        proxy(new EgressLimits(100, 8, Duration.ofSeconds(1)), 2);
        try (Socket tunnel = tunnel(port); Socket exchange = new Socket("127.0.0.1", port.port())) {
            exchange.setSoTimeout(30_000);
            exchange.getOutputStream().write(("GET " + origin("/hang") + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            tunnel.setSoTimeout(30_000);

            assertThat(tunnel.getInputStream().read()).as("the silent tunnel is closed").isEqualTo(-1);
            assertThat(exchange.getInputStream().read()).as("the exchange whose origin never answers is closed").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(meters.get("browser.egress.idle_closed").tag("kind", "tunnel").counter().count()).isEqualTo(1);
                assertThat(meters.get("browser.egress.idle_closed").tag("kind", "http").counter().count()).isEqualTo(1);
                assertThat(proxy.connections()).isZero();
            });
        }
    }

    @Test
    void bytesSentRightAfterAHeadGoOnWithTheTunnel() throws Exception {
        // CONNECT with the first bytes in the same write
        try (Socket socket = new Socket("127.0.0.1", port.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\nearly")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(head(socket.getInputStream()).get(0)).startsWith("HTTP/1.1 200");
            assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("early");
        }
        // an upgrade whose origin sends its first bytes with the 101
        try (ServerSocket upgrading = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread origin = new Thread(() -> {
                try (Socket accepted = upgrading.accept()) {
                    head(accepted.getInputStream());
                    accepted.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\nhello")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    accepted.getInputStream().transferTo(accepted.getOutputStream());
                } catch (IOException ignored) {
                    // the test ended
                }
            });
            origin.setDaemon(true);
            origin.start();
            try (Socket socket = new Socket("127.0.0.1", port.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET http://127.0.0.1:" + upgrading.getLocalPort() + "/ HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: Upgrade\r\nUpgrade: test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(head(socket.getInputStream()).get(0)).startsWith("HTTP/1.1 101");
                assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
                assertEchoes(socket);
                assertThat(meters.get("browser.egress.tunnels").gauge().value()).isEqualTo(1);
            }
        }
    }
}
