package dev.agentapi.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * One limit, written as a sentence: {@code "POST /api/agents/browser: 10 per minute"} or
 * {@code "* /api/**: 1000 per minute"}.
 *
 * <p>"N per period" means what it says: N tokens, all of them back once the period has passed since the
 * window opened (Bucket4j's intervally refill), so the (N+1)th request within one period is refused however
 * slowly the first N arrive. A greedy refill would hand back one token every period/N meanwhile: ten creates
 * that each take six seconds would never meet "10 per minute". This is the fixed window the seed's limiter used.
 */
public record RateLimitPolicy(String name, String method, PathPattern path, long capacity, Duration period) {

    private static final Pattern SENTENCE = Pattern.compile(
            "^\\s*(\\*|[A-Za-z]+)\\s+(/\\S*)\\s*:\\s*(\\d+)\\s+per\\s+(?:(\\d+)\\s+)?(second|minute|hour|day)s?\\s*$",
            Pattern.CASE_INSENSITIVE);
    /** Bucket4j counts refill time in nanoseconds (a long: about 292 years); a year is plenty for a rate. */
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    public static RateLimitPolicy parse(String sentence) {
        Matcher m = SENTENCE.matcher(sentence == null ? "" : sentence);
        if (!m.matches()) {
            throw new IllegalArgumentException("Rate-limit policy '" + sentence
                    + "' should read like 'POST /api/agents/browser: 10 per minute' (method or *, path pattern, "
                    + "N per [K] second|minute|hour|day)");
        }
        String method = m.group(1).equals("*") ? null : m.group(1).toUpperCase(Locale.ROOT);
        long capacity = number(sentence, m.group(3));
        long units = m.group(4) == null ? 1 : number(sentence, m.group(4));
        if (capacity < 1 || units < 1) {
            throw new IllegalArgumentException("Rate-limit policy '" + sentence + "' needs a positive count and period");
        }
        Duration unit = switch (m.group(5).toLowerCase(Locale.ROOT)) {
            case "second" -> Duration.ofSeconds(1);
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        if (units > MAX_PERIOD.dividedBy(unit)) {
            throw new IllegalArgumentException("Rate-limit policy '" + sentence + "' has a period longer than " + MAX_PERIOD.toDays() + " days");
        }
        if (capacity > unit.multipliedBy(units).toNanos()) {
            // Bucket4j refills at most one token per nanosecond
            throw new IllegalArgumentException("Rate-limit policy '" + sentence + "' allows more than one request per nanosecond");
        }
        String name = (method == null ? "*" : method) + " " + m.group(2);
        PathPattern path;
        try {
            path = PathPatternParser.defaultInstance.parse(m.group(2));
        } catch (PatternParseException e) {
            throw new IllegalArgumentException("Rate-limit policy '" + sentence + "' has an invalid path pattern: " + e.getMessage());
        }
        return new RateLimitPolicy(name, method, path, capacity, unit.multipliedBy(units));
    }

    /** Digits the pattern matched, but maybe more than a long holds. */
    private static long number(String sentence, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Rate-limit policy '" + sentence + "' has a number too large: " + digits);
        }
    }

    /** The Bucket4j limit this sentence means. */
    public io.github.bucket4j.Bandwidth bandwidth() {
        return io.github.bucket4j.Bandwidth.builder().capacity(capacity).refillIntervally(capacity, period).build();
    }

    public boolean matches(String httpMethod, String requestPath) {
        return matches(httpMethod, PathContainer.parsePath(requestPath));
    }

    /** With the path parsed once per request, for the filter that asks every policy in turn. */
    public boolean matches(String httpMethod, PathContainer requestPath) {
        return (method == null || method.equalsIgnoreCase(httpMethod)) && path.matches(requestPath);
    }
}
