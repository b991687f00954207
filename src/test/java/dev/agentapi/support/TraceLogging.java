package dev.agentapi.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/** For tests that prove secrets never reach a log line, however verbose the logging. */
public final class TraceLogging {

    private TraceLogging() {
    }

    /** Runs {@code work} with {@code loggers} at TRACE, then puts their configured levels back. */
    public static void verbosely(LoggingSystem logging, List<String> loggers, Runnable work) {
        Map<String, LogLevel> configured = new LinkedHashMap<>();
        loggers.forEach(name -> configured.put(name, Optional.ofNullable(logging.getLoggerConfiguration(name))
                .map(LoggerConfiguration::getConfiguredLevel).orElse(null)));
        try {
            loggers.forEach(name -> logging.setLogLevel(name, LogLevel.TRACE));
            work.run();
        } finally {
            configured.forEach(logging::setLogLevel);
        }
    }
}
