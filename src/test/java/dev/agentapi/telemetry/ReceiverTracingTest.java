package dev.agentapi.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.B3Propagation;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The service's handler for incoming requests' spans, over a real Brave tracer (sampling at 0, as the service
 * runs by default): it continues the caller's trace whether or not the caller sampled it, and a span the
 * caller sampled is recorded with the observation's key values as tags.
 */
class ReceiverTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final List<MutableSpan> recorded = new CopyOnWriteArrayList<>();
    private final Tracing tracing = Tracing.newBuilder().sampler(Sampler.NEVER_SAMPLE).traceId128Bit(true)
            .propagationFactory(B3Propagation.FACTORY)
            .addSpanHandler(new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    recorded.add(span);
                    return true;
                }
            }).build();
    private final PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> handler =
            new TelemetryConfiguration().receiverTracingObservationHandler(
                    new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
                            new BraveBaggageManager()),
                    new BravePropagator(tracing));

    @Test
    void aSpanTheCallerSampledContinuesItsTraceAndCarriesTheObservationsKeyValues() {
        Span span = handle(request("1"));

        assertThat(span.isNoop()).isFalse();
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).traceId()).isEqualTo(TRACE_ID);
        assertThat(recorded.get(0).tags())
                .containsEntry("uri", "/api/agents/browser/{agentId}")
                .containsEntry("http.url", "/api/agents/browser/a1");
    }

    @Test
    void anUnsampledRequestRecordsNothingAndKeepsTheCallersTraceId() {
        Span span = handle(request("0"));

        assertThat(span.isNoop()).isTrue();
        assertThat(span.context().traceId()).isEqualTo(TRACE_ID);
        assertThat(recorded).isEmpty();
    }

    /** The request's span, started and stopped as the HTTP observation does. */
    private Span handle(ReceiverContext<?> context) {
        handler.onStart(context);
        Span span = handler.getRequiredSpan(context);
        handler.onStop(context);
        tracing.close();
        return span;
    }

    /** An incoming request that carries the caller's trace context, with key values as the HTTP observation has. */
    private static ReceiverContext<?> request(String sampled) {
        RequestReplyReceiverContext<Map<String, String>, Object> context = new RequestReplyReceiverContext<>(Map::get);
        context.setCarrier(Map.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", "00f067aa0ba902b7", "X-B3-Sampled", sampled));
        context.setName("http.server.requests");
        context.addLowCardinalityKeyValue(KeyValue.of("uri", "/api/agents/browser/{agentId}"));
        context.addHighCardinalityKeyValue(KeyValue.of("http.url", "/api/agents/browser/a1"));
        return context;
    }
}
