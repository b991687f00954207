package dev.agentapi.support;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay in front of a real server, so a test can make that server vanish (every
 * connection cut, new ones refused) and come back on the same port, without touching the server.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream sentToServer = new ByteArrayOutputStream();
    private volatile ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = freePortOutsideEphemeralRange();
        start();
    }

    /**
     * A free loopback port below the kernel's ephemeral range. While the relay is stopped, a client that
     * keeps reconnecting (Lettuce does) to a port inside that range can be given the same port as its own
     * local port and connect to itself (TCP simultaneous open); the port is then taken and {@link #start()}
     * fails with "Address already in use". A port the kernel never hands out as a local port avoids that.
     */
    private static int freePortOutsideEphemeralRange() throws IOException {
        int ephemeralLow = 32768;
        try {
            String range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            ephemeralLow = Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or hidden: the usual default
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        int low = Math.min(10_000, ephemeralLow / 2);
        for (int attempt = 0; attempt < 200 && ephemeralLow > low; attempt++) {
            int candidate = random.nextInt(low, ephemeralLow);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /**
     * Listens again on the same port. A clean-clone CI run once found the port still taken 40 ms after
     * {@link #stop()} (CacheReplayTest), with the port outside the ephemeral range: the relay's side of the
     * cut connections was still on it. Those are now reset rather than closed (see {@link #stop()}), and a
     * bind that still finds the port taken is tried again for up to five seconds.
     */
    public synchronized void start() throws IOException {
        ServerSocket socket = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (socket == null) {
            ServerSocket candidate = new ServerSocket();
            try {
                candidate.setReuseAddress(true);
                candidate.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                socket = candidate;
            } catch (BindException taken) {
                closeQuietly(candidate);
                if (System.nanoTime() > deadline) {
                    throw taken;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw taken;
                }
            }
        }
        ServerSocket listening = socket;
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Cuts every connection (reset, as a vanished server's peer would see it, so nothing of them lingers on
     * the port in a closing state) and refuses new ones until {@link #start()}.
     */
    public synchronized void stop() {
        closeQuietly(server);
        sockets.forEach(TcpProxy::reset);
        sockets.clear();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException alreadyClosed) {
            // closing it is all that is left
        }
        closeQuietly(socket);
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                synchronized (this) {
                    // a connection accepted just before stop() must not outlive it
                    if (socket.isClosed()) {
                        closeQuietly(client);
                        closeQuietly(upstream);
                        return;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pipe(client, upstream, true);
                pipe(upstream, client, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Every byte clients sent the server through this relay so far (ISO-8859-1, so any byte survives). */
    public String sentToServer() {
        synchronized (sentToServer) {
            return sentToServer.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private void pipe(Socket from, Socket to, boolean record) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = record ? recording(to.getOutputStream()) : to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private OutputStream recording(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                synchronized (sentToServer) {
                    sentToServer.write(bytes, offset, length);
                }
                out.write(bytes, offset, length);
            }
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop();
    }
}
