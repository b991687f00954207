package dev.agentapi.telemetry;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Local mode: events and exceptions go to the log only. */
class LogTelemetry implements Telemetry {

    private static final Logger log = LoggerFactory.getLogger("telemetry");

    @Override
    public void event(String name, Map<String, String> properties) {
        log.info("event {} {}", name, properties);
    }

    @Override
    public void exception(Throwable failure, Map<String, String> properties) {
        log.error("exception {}", properties, failure);
    }
}
