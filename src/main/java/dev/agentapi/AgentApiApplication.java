package dev.agentapi;

import com.microsoft.applicationinsights.attach.ApplicationInsights;
import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AgentApiApplication {

    public static void main(String[] args) {
        attachApplicationInsights();
        SpringApplication.run(AgentApiApplication.class, args);
    }

    /**
     * Attaches the Application Insights Java agent before any class it instruments is loaded.
     * Without a connection string there is nothing to send to, and the agent would only log
     * errors, so it is not attached at all. The runtime attach library (the agent inside, 37 MB) is
     * an optional dependency: {@code spring-boot:run} and the tests have it, the production jar does
     * not, and the image starts the JVM with the agent itself ({@code -javaagent}) when a connection
     * string is set. A production jar started some other way with a connection string says how.
     */
    static void attachApplicationInsights() {
        String connectionString = System.getenv("APPLICATIONINSIGHTS_CONNECTION_STRING");
        if (connectionString == null || connectionString.isBlank() || agentOnCommandLine()) {
            return;
        }
        if (System.getenv("APPLICATIONINSIGHTS_ROLE_NAME") == null && System.getProperty("applicationinsights.role.name") == null) {
            System.setProperty("applicationinsights.role.name", "agent-api");
        }
        if (RuntimeAttach.AVAILABLE) {
            RuntimeAttach.attach();
        } else {
            System.err.println("APPLICATIONINSIGHTS_CONNECTION_STRING is set but no telemetry will be sent: this jar carries no "
                    + "Application Insights agent. Start it with -javaagent:applicationinsights-agent.jar (the container image does).");
        }
    }

    private static boolean agentOnCommandLine() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-javaagent:") && argument.contains("applicationinsights"));
    }

    /** Touches the optional runtime attach library only where it is on the class path. */
    private static final class RuntimeAttach {
        static final boolean AVAILABLE = isPresent("com.microsoft.applicationinsights.attach.ApplicationInsights");

        static void attach() {
            ApplicationInsights.attach();
        }

        private static boolean isPresent(String className) {
            try {
                Class.forName(className, false, AgentApiApplication.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
