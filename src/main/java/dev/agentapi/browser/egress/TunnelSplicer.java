package dev.agentapi.browser.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the bytes of every established tunnel (CONNECT, and HTTP upgrades such as WebSockets) on one selector
 * thread, so a held connection costs two sockets and two buffers, never a thread of its own. Each side's end is
 * passed on as a half-close; a tunnel ends when both directions have ended, when either side fails, when no byte
 * has moved either way for the idle timeout, or when its owner closes it ({@link Tunnel#close()}, from any thread).
 * Refused connections are closed here too, after their answer: what the client already sent is read and dropped
 * first, so the answer is not lost to a reset.
 */
final class TunnelSplicer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelSplicer.class);
    private static final int BUFFER = 16 * 1024;
    private static final long LINGER_NANOS = Duration.ofSeconds(2).toNanos();
    private static final long SWEEP_MILLIS = 500;

    /** Told when a tunnel has ended, and why ({@code idle} when the idle timeout closed it). */
    interface Ended {
        void ended(boolean idle);
    }

    private final Selector selector;
    private final long idleNanos;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    /** Tunnels and lingering closes, touched by the selector thread only. */
    private final Set<Spliced> live = new HashSet<>();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    TunnelSplicer(Duration idleTimeout) throws IOException {
        this.selector = Selector.open();
        this.idleNanos = idleTimeout.toNanos();
        this.thread = new Thread(this::run, "egress-tunnels");
        thread.setDaemon(true);
        thread.start();
    }

    /** Tunnels carried now. */
    int tunnels() {
        return tunnels.get();
    }

    /**
     * Carries bytes between {@code client} and {@code upstream} (both connected, in blocking mode, no thread using
     * them any more) until the tunnel ends. {@code fromClient}/{@code fromUpstream}: bytes already read from a side
     * and not yet passed on (read ahead with a request or response head).
     */
    Tunnel splice(SocketChannel client, ByteBuffer fromClient, SocketChannel upstream, ByteBuffer fromUpstream, Ended ended) {
        Tunnel tunnel = new Tunnel(client, fromClient, upstream, fromUpstream, ended);
        tunnels.incrementAndGet();
        submit(tunnel::register);
        return tunnel;
    }

    /** Has the tunnel thread look at once for tunnels whose sockets were closed elsewhere. */
    void wakeup() {
        selector.wakeup();
    }

    /** Closes a refused connection whose answer was written: drops what the client sends until it closes, at most 2 s. */
    void closeAfterAnswer(SocketChannel channel) {
        Linger linger = new Linger(channel);
        submit(linger::register);
    }

    private void submit(Runnable registration) {
        if (closed) {
            registration.run(); // a closed selector refuses it, and the registration closes its sockets
            return;
        }
        pending.add(registration);
        selector.wakeup();
    }

    private void run() {
        long lastSweep = System.nanoTime();
        try {
            while (!closed) {
                selector.select(SWEEP_MILLIS);
                for (Runnable registration; (registration = pending.poll()) != null; ) {
                    registration.run();
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    ((Spliced) key.attachment()).ready();
                }
                long now = System.nanoTime();
                if (now - lastSweep >= SWEEP_MILLIS * 1_000_000) {
                    lastSweep = now;
                    for (Spliced spliced : Set.copyOf(live)) {
                        spliced.sweep(now);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                log.error("The egress proxy's tunnel thread stopped; open tunnels are cut", e);
            }
        } catch (RuntimeException | Error e) {
            log.error("The egress proxy's tunnel thread failed; open tunnels are cut", e);
        } finally {
            for (Spliced spliced : Set.copyOf(live)) {
                spliced.end(false);
            }
            for (Runnable registration; (registration = pending.poll()) != null; ) {
                registration.run();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
            selector.close();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Spliced {
        void ready();

        void sweep(long now);

        void end(boolean idle);
    }

    /** One direction of a tunnel: what {@code from} sent that {@code to} has not taken yet. */
    private static final class Direction {

        final SocketChannel from;
        final SocketChannel to;
        final ByteBuffer buffer;
        boolean ended;
        boolean passedOn;

        Direction(SocketChannel from, SocketChannel to, ByteBuffer already) {
            this.from = from;
            this.to = to;
            int size = already == null ? 0 : already.remaining();
            this.buffer = ByteBuffer.allocate(Math.max(BUFFER, size));
            if (size > 0) {
                buffer.put(already);
            }
        }

        /** Moves what it can without waiting; true if a byte moved. */
        boolean pump() throws IOException {
            boolean moved = false;
            if (!ended && buffer.hasRemaining()) {
                int read = from.read(buffer);
                if (read < 0) {
                    ended = true;
                } else if (read > 0) {
                    moved = true;
                }
            }
            buffer.flip();
            if (buffer.hasRemaining()) {
                moved |= to.write(buffer) > 0;
            }
            buffer.compact();
            if (ended && buffer.position() == 0 && !passedOn) {
                passedOn = true;
                to.shutdownOutput();
            }
            return moved;
        }

        boolean wantsRead() {
            return !ended && buffer.hasRemaining();
        }

        boolean wantsWrite() {
            return buffer.position() > 0;
        }
    }

    /** A tunnel's two sockets; closing it (from any thread) ends it, and the selector thread then forgets it. */
    final class Tunnel implements Spliced {

        private final SocketChannel client;
        private final SocketChannel upstream;
        private final Direction up;
        private final Direction down;
        private final Ended ended;
        private SelectionKey clientKey;
        private SelectionKey upstreamKey;
        private long lastMoved = System.nanoTime();
        private boolean over;

        private Tunnel(SocketChannel client, ByteBuffer fromClient, SocketChannel upstream, ByteBuffer fromUpstream, Ended ended) {
            this.client = client;
            this.upstream = upstream;
            this.up = new Direction(client, upstream, fromClient);
            this.down = new Direction(upstream, client, fromUpstream);
            this.ended = ended;
        }

        private void register() {
            try {
                client.configureBlocking(false);
                upstream.configureBlocking(false);
                clientKey = client.register(selector, 0, this);
                upstreamKey = upstream.register(selector, 0, this);
                live.add(this);
                ready(); // bytes read ahead go out at once
            } catch (IOException | RuntimeException refused) { // closed meanwhile, or the selector is gone
                end(false);
            }
        }

        @Override
        public void ready() {
            try {
                boolean moved = false;
                for (int round = 0; round < 4; round++) {
                    boolean now = up.pump() | down.pump();
                    moved |= now;
                    if (!now) {
                        break;
                    }
                }
                if (moved) {
                    lastMoved = System.nanoTime();
                }
                if (up.passedOn && down.passedOn) {
                    end(false);
                    return;
                }
                clientKey.interestOps((up.wantsRead() ? SelectionKey.OP_READ : 0) | (down.wantsWrite() ? SelectionKey.OP_WRITE : 0));
                upstreamKey.interestOps((down.wantsRead() ? SelectionKey.OP_READ : 0) | (up.wantsWrite() ? SelectionKey.OP_WRITE : 0));
            } catch (IOException | RuntimeException failed) { // a side reset or was closed by its owner
                end(false);
            }
        }

        @Override
        public void sweep(long now) {
            if (!client.isOpen() || !upstream.isOpen()) {
                end(false);
            } else if (now - lastMoved > idleNanos) {
                end(true);
            }
        }

        @Override
        public void end(boolean idle) {
            if (over) {
                return;
            }
            over = true;
            live.remove(this);
            tunnels.decrementAndGet();
            close();
            ended.ended(idle);
        }

        /** Cuts the tunnel; safe from any thread (the selector thread notices at its next sweep). */
        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
            selector.wakeup();
        }
    }

    /** A refused connection on its way out. */
    private final class Linger implements Spliced {

        private final SocketChannel channel;
        private final long started = System.nanoTime();
        private final ByteBuffer sink = ByteBuffer.allocate(1024);

        Linger(SocketChannel channel) {
            this.channel = channel;
        }

        private void register() {
            try {
                channel.shutdownOutput();
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, this);
                live.add(this);
            } catch (IOException | RuntimeException gone) {
                closeQuietly(channel);
            }
        }

        @Override
        public void ready() {
            try {
                int read;
                do {
                    sink.clear();
                    read = channel.read(sink);
                } while (read > 0);
                if (read < 0) {
                    end(false);
                }
            } catch (IOException | RuntimeException gone) {
                end(false);
            }
        }

        @Override
        public void sweep(long now) {
            if (now - started > LINGER_NANOS || !channel.isOpen()) {
                end(false);
            }
        }

        @Override
        public void end(boolean idle) {
            live.remove(this);
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
