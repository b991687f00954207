package dev.agentapi.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the tests' PostgreSQL and Redis are, decided once per run and logged once, per service:
 * the URL in {@code TEST_POSTGRES_URL} / {@code TEST_REDIS_URL} if given; otherwise a Testcontainers
 * container when a Docker engine is reachable; otherwise the service running beside the tests
 * (127.0.0.1:5432 and 127.0.0.1:6379, as on the CI machine, which has no Docker engine).
 * {@link TestDatabase} and {@link TestRedis} take their addresses from here; containers live as long
 * as the test JVM (Testcontainers' reaper removes them).
 */
public final class TestServices {

    private static final Logger log = LoggerFactory.getLogger(TestServices.class);

    static final String LOCAL_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final String LOCAL_REDIS = "redis://127.0.0.1:6379";
    // TEST_POSTGRES_IMAGE / TEST_REDIS_IMAGE name other images (a registry mirror, a local build)
    private static final DockerImageName POSTGRES_IMAGE = image("TEST_POSTGRES_IMAGE", "postgres:17-alpine", "postgres");
    // 7.0, like the CI machine's: older than 7.2, so the client-info handshake stays tested
    private static final DockerImageName REDIS_IMAGE = image("TEST_REDIS_IMAGE", "redis:7.0-alpine", "redis");

    /** A JDBC URL of an admin database on which each run creates its own. */
    public static final String POSTGRES_ADMIN_URL;
    /** {@code redis://host:port}. */
    public static final String REDIS_URL;

    static {
        Optional<String> givenPostgres = given("TEST_POSTGRES_URL");
        Optional<String> givenRedis = given("TEST_REDIS_URL");
        boolean docker = (givenPostgres.isEmpty() || givenRedis.isEmpty()) && dockerReachable();
        POSTGRES_ADMIN_URL = givenPostgres.orElseGet(() -> docker ? postgresContainer() : LOCAL_POSTGRES);
        REDIS_URL = givenRedis.orElseGet(() -> docker ? redisContainer() : LOCAL_REDIS);
        log.info("Test services: PostgreSQL {} ({}), Redis {} ({})",
                withoutPassword(POSTGRES_ADMIN_URL), source(givenPostgres, docker),
                REDIS_URL, source(givenRedis, docker));
    }

    private TestServices() {
    }

    private static DockerImageName image(String variable, String standard, String compatibleWith) {
        return given(variable).map(name -> DockerImageName.parse(name).asCompatibleSubstituteFor(compatibleWith))
                .orElse(DockerImageName.parse(standard));
    }

    private static Optional<String> given(String variable) {
        return Optional.ofNullable(System.getenv(variable)).filter(value -> !value.isBlank());
    }

    private static String source(Optional<String> given, boolean docker) {
        return given.isPresent() ? "from the environment" : docker ? "Testcontainers" : "local service, no Docker engine";
    }

    /**
     * Asks Testcontainers only when a Docker endpoint could exist at all, so a machine without one
     * (this project's CI) pays no strategy probing and sees no Testcontainers error in its log.
     */
    private static boolean dockerReachable() {
        return dockerEndpointConfigured() && DockerClientFactory.instance().isDockerAvailable();
    }

    static boolean dockerEndpointConfigured() {
        if (given("DOCKER_HOST").isPresent() || given("TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE").isPresent()) {
            return true;
        }
        String home = System.getProperty("user.home");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".testcontainers.properties")));
        given("XDG_RUNTIME_DIR").ifPresent(dir -> candidates.add(Path.of(dir, "docker.sock")));
        return candidates.stream().anyMatch(Files::exists);
    }

    @SuppressWarnings("resource") // lives as long as the JVM; the reaper removes it
    private static String postgresContainer() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName("postgres");
        postgres.start();
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432)
                + "/postgres?user=" + postgres.getUsername() + "&password=" + postgres.getPassword();
    }

    @SuppressWarnings("resource")
    private static String redisContainer() {
        GenericContainer<?> redis = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(6379);
        redis.start();
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    private static String withoutPassword(String url) {
        return url.replaceAll("(?i)password=[^&]*", "password=***");
    }
}
