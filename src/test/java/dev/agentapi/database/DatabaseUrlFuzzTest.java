package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** {@code DATABASE_URL} values as operators (and copy-paste accidents) write them. */
class DatabaseUrlFuzzTest {

    /** Marks the password so a leak of it can be told from the rest of the URL. */
    private static final String SECRET = "Zq9";

    /** Any text: a JDBC URL, or a refusal that says DATABASE_URL is wrong; no other exception escapes. */
    @FuzzTest(maxDuration = "30s")
    void anyValue(byte[] input) {
        String value = new String(input, StandardCharsets.UTF_8);
        try {
            DatabaseUrl url = DatabaseUrl.parse(value);
            assertThat(url.jdbcUrl()).startsWith("jdbc:postgresql:");
            assertThat(url.toString()).isNotNull();
        } catch (IllegalArgumentException refused) {
            assertThat(refused).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(refused.getMessage()).startsWith("DATABASE_URL");
        }
    }

    /**
     * A URL carrying a password, in user info or in the query of a {@code jdbc:} URL. Lines of the input:
     * form (0-3), user, password, host and port, database, query. The password never shows in
     * {@code redacted()}, {@code toString()} or a refusal's message: those reach logs.
     */
    @FuzzTest(maxDuration = "30s")
    void passwordsNeverShow(byte[] input) {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        String form = part(parts, 0);
        // a '/', '?', '#' or '@' in the user or host would move the "password" out of the user info (into the
        // path, say), where it is no password: the property is about passwords where URLs keep them
        String user = part(parts, 1).replaceAll("[/?#@:\\s]", "");
        String password = SECRET + part(parts, 2);
        String host = part(parts, 3).replaceAll("[/?#@\\s]", "");
        String database = part(parts, 4);
        String query = part(parts, 5);
        String value = switch (form.isEmpty() ? 0 : Math.floorMod(form.charAt(0), 4)) {
            case 0 -> "postgresql://" + user + ":" + password + "@" + host + "/" + database + (query.isEmpty() ? "" : "?" + query);
            case 1 -> "postgresql+asyncpg://" + user + ":" + password + "@" + host + "/" + database;
            case 2 -> "jdbc:postgresql://" + host + "/" + database + "?" + query + (query.isEmpty() ? "" : "&") + "password=" + password;
            default -> "jdbc:postgresql://" + user + ":" + password + "@" + host + "/" + database;
        };
        String secret = password.split("[@/?#&;:\\s]", 2)[0]; // what the URL grammar keeps as the password
        if (secret.length() < 4 || value.replaceFirst(java.util.regex.Pattern.quote(secret), "").contains(secret)) {
            return; // the "password" also appears elsewhere in the URL: a leak could not be told from the rest
        }
        try {
            DatabaseUrl url = DatabaseUrl.parse(value);
            assertThat(url.redacted()).as("redacted %s", value).doesNotContain(secret);
            assertThat(url.toString()).as("toString of %s", value).doesNotContain(secret);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).as("refusal of %s", value).doesNotContain(secret);
        }
    }

    private static String part(String[] parts, int i) {
        return i < parts.length ? parts[i] : "";
    }
}
