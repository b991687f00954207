package dev.agentapi.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Keeps API keys and bearer tokens out of every log line. Libraries print request headers when
 * their loggers are turned up (Tomcat's {@code Http11InputBuffer} dumps each request at debug,
 * {@code Authorization} and {@code X-API-Key} included), so an event whose message carries such a
 * header is dropped and logged again with the value replaced by {@code [REDACTED]}. A logback turbo
 * filter: it acts before any appender (console, plain or structured, or Application Insights)
 * sees the event.
 */
public final class CredentialRedaction extends TurboFilter {

    static final String REDACTED = "[REDACTED]";
    /** A credential header and its value; the scheme (Bearer, ...) is kept, and a redacted value matches no more. */
    static final Pattern CREDENTIAL = Pattern.compile(
            "(?i)\\b(authorization|proxy-authorization|x-api-key)(\\s*[\"']?\\s*[:=]\\s*[\"']?)"
                    + "(?:(bearer|basic|apikey|token)\\s+)?+([^\\s\"',;\\[\\]]+)");

    private static final Pattern HEADER_NAME = Pattern.compile("(?i)authorization|x-api-key");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())
                || !mentionsCredentialHeader(format, params)) {
            return FilterReply.NEUTRAL;
        }
        String message = params == null || params.length == 0 ? format : MessageFormatter.basicArrayFormat(format, params);
        if (!CREDENTIAL.matcher(message).find()) {
            return FilterReply.NEUTRAL;
        }
        logger.log(marker, Logger.class.getName(), Level.toLocationAwareLoggerInteger(level), redact(message), null, t);
        return FilterReply.DENY;
    }

    /**
     * A cheap first look, so the ordinary log line is not formatted a second time: a credential can
     * only come with a header name in the pattern or a text argument, or inside an object argument.
     */
    private static boolean mentionsCredentialHeader(String format, Object[] params) {
        if (HEADER_NAME.matcher(format).find()) {
            return true;
        }
        if (params != null) {
            for (Object param : params) {
                if (param instanceof CharSequence text) {
                    if (HEADER_NAME.matcher(text).find()) {
                        return true;
                    }
                } else if (param != null && !(param instanceof Number) && !(param instanceof Boolean) && !(param instanceof Enum<?>)) {
                    return true; // an object (headers, a request) shows what it holds only when formatted
                }
            }
        }
        return false;
    }

    static String redact(String text) {
        return CREDENTIAL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + m.group(2) + (m.group(3) == null ? "" : m.group(3) + " ") + REDACTED));
    }

    /**
     * Adds the filter once Spring Boot has configured logging (which resets logback's filters), for
     * every application context, including tests'. Listed in {@code META-INF/spring.factories}.
     */
    public static final class Installer implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                    && context.getTurboFilterList().stream().noneMatch(CredentialRedaction.class::isInstance)) {
                CredentialRedaction filter = new CredentialRedaction();
                filter.setName("credential-redaction");
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
        }

        @Override
        public int getOrder() {
            return LoggingApplicationListener.DEFAULT_ORDER + 1;
        }
    }
}
