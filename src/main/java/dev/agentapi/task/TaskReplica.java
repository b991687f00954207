package dev.agentapi.task;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** This replica as lease owners and audit entries name it: host/pid/random, with no ':' (it separates a lease's token). */
@Component
class TaskReplica {

    private final String id;

    TaskReplica() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        String pid = String.valueOf(ManagementFactory.getRuntimeMXBean().getPid());
        this.id = (host + "/" + pid + "/" + UUID.randomUUID().toString().substring(0, 8)).replace(':', '_');
    }

    String id() {
        return id;
    }
}
