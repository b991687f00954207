package dev.agentapi.browser.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into addresses. The seam lets tests make a name answer differently on each lookup. */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver (the JVM's, with its short positive cache). */
    HostResolver SYSTEM = name -> List.of(InetAddress.getAllByName(name));

    List<InetAddress> resolve(String name) throws UnknownHostException;
}
