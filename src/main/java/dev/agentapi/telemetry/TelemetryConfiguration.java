package dev.agentapi.telemetry;

import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TelemetryConfiguration.class);

    @Bean
    Telemetry telemetry(TelemetryProperties properties) {
        if (properties.applicationInsightsEnabled()) {
            log.info("Telemetry: Application Insights (cloud role {})", properties.roleName());
            return new ApplicationInsightsTelemetry();
        }
        log.info("Telemetry: local logs only (set APPLICATIONINSIGHTS_CONNECTION_STRING for Azure Monitor)");
        return new LogTelemetry();
    }

    /**
     * Boot's handler for incoming requests' spans (it continues a caller's {@code traceparent}), except that a
     * span that records nothing is not tagged: with sampling at 0 by default nearly every request's span is
     * such a no-op, and tagging it still gathered, sorted and compared each of the observation's key values
     * (about 1 % of a cached GET's samples). Sampled spans are tagged as before. Boot backs off from its own
     * bean when this one is present; the order is Boot's, ahead of the default handler, which would start a
     * new trace instead of continuing the caller's.
     */
    @Bean
    @Order(MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER)
    PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> receiverTracingObservationHandler(Tracer tracer,
                                                                                                      Propagator propagator) {
        return new PropagatingReceiverTracingObservationHandler<>(tracer, propagator) {
            @Override
            public void tagSpan(ReceiverContext<?> context, Span span) {
                if (!span.isNoop()) {
                    super.tagSpan(context, span);
                }
            }
        };
    }
}
