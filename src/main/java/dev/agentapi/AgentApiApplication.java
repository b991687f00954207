package dev.agentapi;

import com.microsoft.applicationinsights.attach.ApplicationInsights;
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
     * errors, so it is not attached at all.
     */
    static void attachApplicationInsights() {
        String connectionString = System.getenv("APPLICATIONINSIGHTS_CONNECTION_STRING");
        if (connectionString == null || connectionString.isBlank()) {
            return;
        }
        if (System.getenv("APPLICATIONINSIGHTS_ROLE_NAME") == null && System.getProperty("applicationinsights.role.name") == null) {
            System.setProperty("applicationinsights.role.name", "agent-api");
        }
        ApplicationInsights.attach();
    }
}
