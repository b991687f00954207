package dev.agentapi.browser.egress;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<EgressProxy.Refusal> refusals = new CopyOnWriteArrayList<>();
    final AtomicInteger deniedAccepts = new AtomicInteger();
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
        proxy(64);
    }

    void proxy(int threads) throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        HostResolver resolver = name -> switch (name) {
            case "denied.test" -> List.of(InetAddress.getByName("127.0.0.2"));
            case "nowhere.test" -> throw new java.net.UnknownHostException(name);
            default -> HostResolver.SYSTEM.resolve(name);
        };
        proxy = new EgressProxy(new EgressPolicy(new EgressRules(List.of("127.0.0.1"), List.of(), true), resolver), threads, meters);
        port = proxy.open("test", refusals::add);
    }

    @AfterEach
    void stop() throws IOException {
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
    void beyondItsThreadsTheProxyDropsNewConnections() throws Exception {
        proxy(2);
        try (Socket tunnel = new Socket("127.0.0.1", port.port())) {
            assertThat(raw(tunnel, "CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n").get(0)).startsWith("HTTP/1.1 200");
            try (Socket more = new Socket("127.0.0.1", port.port())) {
                more.setSoTimeout(10_000);
                more.getOutputStream().write(("GET " + origin("/big") + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(more.getInputStream().read()).isEqualTo(-1);
            }
        }
        assertThat(meters.get("browser.egress.saturated").counter().count()).isEqualTo(1);
    }

    @Test
    void unreachableTargetsGet502MarkedAsTheProxys() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        for (String head : List.of("GET http://127.0.0.1:" + closed + "/ HTTP/1.1\r\n\r\n", "CONNECT 127.0.0.1:" + closed + " HTTP/1.1\r\n\r\n",
                "GET http://nowhere.test/ HTTP/1.1\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", port.port())) {
                List<String> answer = raw(socket, head);
                assertThat(answer.get(0)).as(head).startsWith("HTTP/1.1 502");
                assertThat(answer).as(head).contains(EgressProxy.REFUSAL_HEADER + ": unreachable");
            }
        }
        assertThat(refusals).isEmpty();
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
}
