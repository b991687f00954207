package dev.agentapi.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A PostgreSQL location as operators write it: {@code postgresql://user:pass@host:port/db},
 * the same with a driver suffix ({@code postgresql+asyncpg://}, as Python services use), the
 * Heroku-style {@code postgres://}, or a plain {@code jdbc:postgresql://} URL.
 * Credentials are kept apart from the JDBC URL where the form allows; a {@code jdbc:} URL or a query
 * string can still carry a password, so only {@link #redacted()} is fit for logs.
 */
public record DatabaseUrl(String jdbcUrl, String username, String password) {

    private static final String MASK = "***";
    /** {@code password=}, {@code sslpassword=} and the like in the query string. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][^=&;#]*password=)[^&;#]*");
    /** {@code user:password@} before the host. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@?#:]*:)[^/?#]*@");

    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL is empty");
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, null, null);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL (expected postgresql://user:pass@host:port/db)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        String baseScheme = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        if (!baseScheme.equals("postgresql") && !baseScheme.equals("postgres")) {
            throw new IllegalArgumentException("DATABASE_URL must use postgresql://, postgresql+<driver>:// or jdbc:postgresql://, not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(database);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String username = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        return new DatabaseUrl(jdbc.toString(), username, password);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The JDBC URL with every password in it replaced by {@code ***}. */
    public String redacted() {
        String masked = USER_INFO_PASSWORD.matcher(jdbcUrl).replaceFirst("$1" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + redacted() + ", user=" + username + "]";
    }
}
