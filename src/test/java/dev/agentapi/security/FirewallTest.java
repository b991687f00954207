package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The firewall's header rules are in force over real HTTP: Tomcat passes a header byte 0x85 (obs-text) on as
 * U+0085, a control character, which the firewall refuses with a 400 problem; an accented letter passes on
 * to authentication.
 */
@IntegrationTest
class FirewallTest {

    @LocalServerPort
    int port;

    @Test
    void aControlCharacterInAHeaderTheServiceReadsIsRefused() throws IOException {
        String refused = exchange((byte) 0x85);
        assertThat(refused).startsWith("HTTP/1.1 400").contains("application/problem+json", "not allowed");
        assertThat(exchange((byte) 0xE9)).as("é is assigned and no control: the key is just wrong").startsWith("HTTP/1.1 401");
    }

    @Test
    void aGoodKeyStillPasses() throws IOException {
        assertThat(exchange(TestKeys.ALICE.getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 200");
    }

    private String exchange(byte middle) throws IOException {
        return exchange(new byte[] {'k', 'e', 'y', middle, 'x'});
    }

    private String exchange(byte[] key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("GET /api/agents/browser HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-API-Key: ")
                    .getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(key);
            request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
