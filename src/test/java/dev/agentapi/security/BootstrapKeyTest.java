package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestIdentityProvider;
import dev.agentapi.support.TestKeys;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.SmartApplicationListener;

/** Secure by default: no identity provider and no key configured means a generated admin key, never an open service. */
@ExtendWith({RequiresPostgres.class, OutputCaptureExtension.class})
class BootstrapKeyTest {

    private static final Pattern PRINTED_KEY = Pattern.compile("X-API-Key: (aak_[A-Za-z0-9_-]+)");

    private static ConfigurableApplicationContext start(String url) {
        return start(url, "--agent-api.security.api-keys=");
    }

    private static ConfigurableApplicationContext start(String url, String... credentials) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--agent-api.database.url=" + url,
                "--agent-api.security.jwt.issuer-uri=", "--agent-api.security.jwt.jwk-set-uri="));
        args.addAll(List.of(credentials));
        return new SpringApplicationBuilder(AgentApiApplication.class)
                .listeners(new LoggingStart(true), new LoggingStart(false))
                .run(args.toArray(String[]::new));
    }

    /** Held while one start in this JVM sets up logging. */
    private static final ReentrantLock LOGGING_START = new ReentrantLock();

    /**
     * Two replicas started at once in one JVM: Spring Boot's logging set-up writes JVM-wide system properties
     * and is not made for that (seen once: a ConcurrentModificationException in LoggingSystemProperties).
     * This takes turns for that step alone, just before and after Boot's logging listener; the rest of the
     * two starts, the race for the first-start key included, still runs at once.
     */
    private record LoggingStart(boolean enter) implements SmartApplicationListener {
        @Override
        public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
            return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType);
        }

        @Override
        public int getOrder() {
            return LoggingApplicationListener.DEFAULT_ORDER + (enter ? -1 : 1);
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (enter) {
                LOGGING_START.lock();
            } else if (LOGGING_START.isHeldByCurrentThread()) {
                LOGGING_START.unlock();
            }
        }
    }

    private static String printedKey(CapturedOutput output) {
        Matcher printed = PRINTED_KEY.matcher(output.getOut());
        assertThat(printed.find()).as("the key is printed").isTrue();
        return printed.group(1);
    }

    private static long bootstrapRows(String url) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM api_keys WHERE purpose = 'bootstrap'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A database as a first start leaves it (the schema, the first-start key's hash) and the key that start printed.
     * The tests that begin after a first start get a copy ({@code CREATE DATABASE ... TEMPLATE}, well under a second)
     * instead of a start of their own (seconds each); the start runs once, in the first such test, so the key is read
     * from that test's captured output. What a first start does is {@link #firstStartPrintsAWorkingAdminKeyOnceAndStoresOnlyItsHash}'s.
     */
    private record FirstStarted(String url, String key) {

        private static FirstStarted original;

        static synchronized FirstStarted copy(CapturedOutput output) throws InterruptedException {
            if (original == null) {
                String url = TestDatabase.create();
                try (ConfigurableApplicationContext first = start(url)) {
                    original = new FirstStarted(url, printedKey(output));
                }
            }
            String name = "agent_api_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            copyDatabase(TestDatabase.nameOf(original.url()), name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    TestDatabase.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (RuntimeException ignored) {
                    // best effort: the server may already be gone
                }
            }));
            return new FirstStarted(TestDatabase.urlOf(name), original.key());
        }

        /** A template must have no sessions; the closed service's may take a moment to end on the server. */
        private static void copyDatabase(String template, String name) throws InterruptedException {
            for (int attempt = 1; ; attempt++) {
                try {
                    TestDatabase.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
                    return;
                } catch (IllegalStateException busy) {
                    if (attempt == 50 || !String.valueOf(busy.getMessage()).contains("being accessed by other users")) {
                        throw busy;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void configuredKeysRevokeTheFirstStartKey(CapturedOutput output) throws Exception {
        FirstStarted firstStarted = FirstStarted.copy(output);
        String url = firstStarted.url();
        assertThat(bootstrapRows(url)).isOne();

        try (ConfigurableApplicationContext configured = start(url, "--agent-api.security.api-keys=" + TestKeys.property())) {
            assertThat(new Api(port(configured), firstStarted.key()).get("/api/agents/browser").status()).isEqualTo(401);
            assertThat(new Api(port(configured), TestKeys.ADMIN).get("/api/agents/browser").status()).isEqualTo(200);
        }
        assertThat(bootstrapRows(url)).isZero();
    }

    @Test
    void anIdentityProviderRevokesTheFirstStartKey(CapturedOutput output) throws Exception {
        String url = FirstStarted.copy(output).url();
        assertThat(bootstrapRows(url)).isOne();

        try (TestIdentityProvider provider = TestIdentityProvider.start();
             ConfigurableApplicationContext withJwts = start(url, "--agent-api.security.api-keys=",
                     "--agent-api.security.jwt.issuer-uri=" + TestIdentityProvider.ISSUER,
                     "--agent-api.security.jwt.jwk-set-uri=" + provider.jwkSetUri(),
                     "--agent-api.security.jwt.audience=" + TestIdentityProvider.AUDIENCE,
                     "--agent-api.security.public-base-url=" + TestIdentityProvider.PUBLIC_BASE_URL)) {
            assertThat(bootstrapRows(url)).isZero();
        }
    }

    @Test
    void theDatabaseHoldsAtMostOneFirstStartKey(CapturedOutput output) throws Exception {
        String url = FirstStarted.copy(output).url();
        assertThat(bootstrapRows(url)).isEqualTo(1);
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO api_keys (owner_id, role, key_hash, purpose) VALUES ('admin', 'admin', '"
                    + ApiKeys.hashHex(ApiKeys.generate()) + "', 'bootstrap')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("ux_api_keys_one_bootstrap");
        }
    }

    @Test
    void replicasStartingTogetherShareOneFirstStartKey(CapturedOutput output) throws Exception {
        String url = TestDatabase.create();
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            List<Future<ConfigurableApplicationContext>> replicas = List.of(starter.submit(() -> start(url)), starter.submit(() -> start(url)));
            List<ConfigurableApplicationContext> started = new ArrayList<>();
            try {
                for (Future<ConfigurableApplicationContext> replica : replicas) {
                    started.add(replica.get(120, TimeUnit.SECONDS));
                }
                assertThat(countMatches(output.getOut())).as("printed by one replica only").isEqualTo(1);
                assertThat(bootstrapRows(url)).isEqualTo(1);
                String key = printedKey(output);
                for (ConfigurableApplicationContext replica : started) {
                    assertThat(new Api(port(replica), key).get("/api/agents/browser").status()).as("every replica accepts it").isEqualTo(200);
                }
            } finally {
                started.forEach(ConfigurableApplicationContext::close);
            }
        } finally {
            starter.shutdownNow();
        }
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
                assertThat(rs.getString(2)).as("an API key's owner, with its source").isEqualTo("key:admin");
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

    @Test
    void aLaterStartSaysHowToReplaceALostKeyAndNewAdminKeyReplacesIt(CapturedOutput output) throws Exception {
        FirstStarted firstStarted = FirstStarted.copy(output);
        String url = firstStarted.url();
        String lost = firstStarted.key();
        int printedBefore = countMatches(output.getOut());
        try (ConfigurableApplicationContext later = start(url)) {
            assertThat(countMatches(output.getOut())).as("not printed again").isEqualTo(printedBefore);
            assertThat(output.getOut()).as("one line saying how to make a new one")
                    .contains("lost it? Start once with ./mvnw spring-boot:run -Dspring-boot.run.arguments=--new-admin-key");
        }

        try (ConfigurableApplicationContext renewed = start(url, "--agent-api.security.api-keys=", "--new-admin-key")) {
            Matcher printed = PRINTED_KEY.matcher(output.getOut());
            String key = null;
            while (printed.find()) {
                key = printed.group(1);
            }
            assertThat(countMatches(output.getOut())).as("the new key is printed once").isEqualTo(printedBefore + 1);
            assertThat(key).isNotEqualTo(lost);
            assertThat(new Api(port(renewed), lost).get("/api/agents/browser").status()).as("the lost key").isEqualTo(401);
            assertThat(new Api(port(renewed), key).get("/api/audit").status()).as("the new admin key").isEqualTo(200);
        }
        assertThat(bootstrapRows(url)).isOne();
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
