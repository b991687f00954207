package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Secure by default: no identity provider and no key configured means a generated admin key, never an open service. */
@ExtendWith({RequiresPostgres.class, OutputCaptureExtension.class})
class BootstrapKeyTest {

    private static final Pattern PRINTED_KEY = Pattern.compile("X-API-Key: (aak_[A-Za-z0-9_-]+)");

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(AgentApiApplication.class)
                .run("--server.port=0", "--agent-api.database.url=" + url, "--agent-api.security.api-keys=",
                        "--agent-api.security.jwt.issuer-uri=", "--agent-api.security.jwt.jwk-set-uri=");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void firstStartPrintsAWorkingAdminKeyOnceAndStoresOnlyItsHash(CapturedOutput output) throws Exception {
        String url = TestDatabase.create();
        String key;
        try (ConfigurableApplicationContext first = start(url)) {
            Matcher printed = PRINTED_KEY.matcher(output.getOut());
            assertThat(printed.find()).as("the key is printed").isTrue();
            key = printed.group(1);

            assertThat(Api.anonymous(port(first)).get("/api/agents/browser").status()).isEqualTo(401);
            assertThat(new Api(port(first), key).get("/api/agents/browser").status()).isEqualTo(200);
            assertThat(new Api(port(first), key).get("/api/audit").status()).as("it is an admin key").isEqualTo(200);
        }

        List<String> stored = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_hash, owner_id, role FROM api_keys")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
                assertThat(rs.getString(3)).isEqualTo("admin");
            }
        }
        assertThat(stored).containsExactly(ApiKeys.hashHex(key));
        assertThat(stored.get(0)).doesNotContain(key);

        int printedBefore = countMatches(output.getOut());
        try (ConfigurableApplicationContext second = start(url)) {
            assertThat(countMatches(output.getOut())).as("not printed again on the next start").isEqualTo(printedBefore);
            assertThat(new Api(port(second), key).get("/api/agents/browser").status()).as("still valid after restart").isEqualTo(200);
        }
    }

    private static int countMatches(String text) {
        Matcher m = PRINTED_KEY.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
