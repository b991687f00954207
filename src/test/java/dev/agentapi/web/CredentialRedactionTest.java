package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

class CredentialRedactionTest {

    @Test
    void credentialHeadersLoseTheirValuesAndKeepTheirScheme() {
        assertThat(CredentialRedaction.redact("GET / HTTP/1.1\r\nAuthorization: Bearer abc.def.ghi\r\nX-API-Key: test_xyz\r\nHost: h"))
                .isEqualTo("GET / HTTP/1.1\r\nAuthorization: Bearer [REDACTED]\r\nX-API-Key: [REDACTED]\r\nHost: h");
        assertThat(CredentialRedaction.redact("proxy-authorization=Basic dXNlcjpwYXNz"))
                .isEqualTo("proxy-authorization=Basic [REDACTED]");
        assertThat(CredentialRedaction.redact("{\"authorization\": \"Bearer tok\", \"x-api-key\":\"k\"}"))
                .isEqualTo("{\"authorization\": \"Bearer [REDACTED]\", \"x-api-key\":\"[REDACTED]\"}");
        assertThat(CredentialRedaction.redact("Authorization: mykey")).isEqualTo("Authorization: [REDACTED]");
    }

    @Test
    void ordinaryMentionsAndRedactedTextAreLeftAlone() {
        for (String text : new String[] {"Checking authorization on POST /api/agents/browser",
                "WWW-Authenticate: ApiKey header=\"X-API-Key\"", "Authorization: Bearer [REDACTED]", "X-API-Key: [REDACTED]"}) {
            assertThat(CredentialRedaction.CREDENTIAL.matcher(text).find()).as(text).isFalse();
            assertThat(CredentialRedaction.redact(text)).isEqualTo(text);
        }
    }

    @Test
    void aLogEventCarryingAHeaderReachesAppendersOnlyRedacted() {
        LoggerContext context = new LoggerContext();
        CredentialRedaction filter = new CredentialRedaction();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        Logger logger = context.getLogger("org.apache.coyote.http11.Http11InputBuffer");
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);

        logger.debug("Received [{}]", "GET / HTTP/1.1\r\nX-API-Key: s3cret-key\r\n");
        logger.debug("Received [GET / HTTP/1.1\r\nAuthorization: Bearer s3cret.jwt.sig\r\n]");
        logger.trace("Authorization: Bearer s3cret-below-threshold");
        logger.info("nothing secret here");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Received [GET / HTTP/1.1\r\nX-API-Key: [REDACTED]\r\n]",
                "Received [GET / HTTP/1.1\r\nAuthorization: Bearer [REDACTED]\r\n]",
                "nothing secret here");
        assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.DEBUG, Level.INFO);
        assertThat(appender.list).extracting(ILoggingEvent::getLoggerName).containsOnly(logger.getName());
    }
}
