package dev.agentapi.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/** For tests that prove secrets never reach a log line, however verbose the logging. */
public final class TraceLogging {

    private TraceLogging() {
    }

    /**
     * Runs {@code work} with {@code loggers} at TRACE, then puts their configured levels back.
     *
     * <p>Tomcat logs through {@code java.util.logging}, which reaches Logback through the SLF4J bridge Spring Boot
     * installs at start. Boot's logging lifecycle bean is pauseable and cleans logging up when it stops, so a cached
     * test context that was paused (another context ran meanwhile) and resumed has lost the bridge, and Tomcat's lines
     * would go nowhere: the bridge is put back first.
     */
    public static void verbosely(LoggingSystem logging, List<String> loggers, Runnable work) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
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
