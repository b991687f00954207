package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.function.Function;

/** Maps agent enums to the lower-case values the schema's CHECK constraints allow. */
final class LowerCaseEnumConverters {

    private LowerCaseEnumConverters() {
    }

    abstract static class Base<E extends Enum<E>> implements AttributeConverter<E, String> {
        private final Function<String, E> parse;

        Base(Class<E> type) {
            this.parse = value -> Enum.valueOf(type, value.toUpperCase());
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : value.name().toLowerCase();
        }

        @Override
        public E convertToEntityAttribute(String value) {
            return value == null ? null : parse.apply(value);
        }
    }

    @Converter
    static class Status extends Base<AgentStatus> {
        Status() {
            super(AgentStatus.class);
        }
    }

    @Converter
    static class Channel extends Base<BrowserChannel> {
        Channel() {
            super(BrowserChannel.class);
        }
    }
}
