package dev.agentapi.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Records the prepared statements the application executes (SQL and bound parameters), on the thread that
 * asks, while it asks: {@code @Import} it into a test context. The parameters can be bound again to another
 * statement (an EXPLAIN of the same query, say).
 */
public class StatementRecorder implements BeanPostProcessor {

    private static final ThreadLocal<List<Recorded>> RECORDING = new ThreadLocal<>();

    /** One executed statement: its SQL and the {@code set...} calls that bound its parameters, in order. */
    public record Recorded(String sql, List<Binding> bindings) {

        /** Binds the same parameters to {@code target}, a statement with the same placeholders. */
        public void bindTo(PreparedStatement target) throws SQLException {
            for (Binding binding : bindings) {
                try {
                    binding.method().invoke(target, binding.args());
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new SQLException("could not bind " + binding.method().getName(), e);
                }
            }
        }
    }

    public record Binding(Method method, Object[] args) {
    }

    /** Runs {@code work} and returns what it executed on this thread. */
    public static List<Recorded> record(Runnable work) {
        return record(() -> {
            work.run();
            return null;
        }).statements();
    }

    /** Runs {@code work} and returns its result with what it executed on this thread. */
    public static <T> Result<T> record(Supplier<T> work) {
        List<Recorded> statements = new CopyOnWriteArrayList<>();
        List<Recorded> outer = RECORDING.get();
        RECORDING.set(statements);
        try {
            return new Result<>(work.get(), List.copyOf(statements));
        } finally {
            RECORDING.set(outer);
        }
    }

    public record Result<T>(T value, List<Recorded> statements) {
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource) {
            return proxy(DataSource.class, dataSource, (method, result, args) ->
                    result instanceof Connection connection ? proxy(Connection.class, connection, this::statements) : result);
        }
        return bean;
    }

    private Object statements(Method method, Object result, Object[] args) {
        if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
            List<Binding> bindings = new ArrayList<>();
            String sql = (String) args[0];
            return proxy(PreparedStatement.class, statement, (m, r, a) -> {
                if (m.getName().startsWith("set") && a != null && a.length >= 2 && a[0] instanceof Integer) {
                    bindings.add(new Binding(m, a.clone()));
                } else if (m.getName().startsWith("execute")) {
                    List<Recorded> recording = RECORDING.get();
                    if (recording != null) {
                        recording.add(new Recorded(sql, List.copyOf(bindings)));
                    }
                }
                return r;
            });
        }
        return result;
    }

    private interface AfterCall {
        Object after(Method method, Object result, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, AfterCall after) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.after(method, result, args);
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
