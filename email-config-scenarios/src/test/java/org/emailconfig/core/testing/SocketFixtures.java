package org.emailconfig.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Real loopback sockets for tests: servers that never answer (the counting relay is the testkit's). */
public final class SocketFixtures {

    private SocketFixtures() {
    }

    /** Accepts connections and never writes a byte, like a firewall that black-holes after the handshake. */
    public static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();

        public SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            t.setDaemon(true);
            t.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        public int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * A port whose TCP handshake never completes, like a firewall that drops packets: a listening socket
     * with a backlog of one that never accepts, its queue filled by two connections of its own. Linux
     * drops the SYN of every further connection, so a client's connect waits until its own timeout.
     */
    public static final class Tarpit implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> filling = new ArrayList<>();

        public Tarpit() throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), 1000);
                filling.add(s);
            }
            // Prove the queue is full: a third connect must not complete.
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), 300);
                throw new IllegalStateException("the tarpit's accept queue is not full; the test would prove nothing");
            } catch (SocketTimeoutException expected) {
                // The handshake hangs, as it must.
            }
        }

        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : filling) {
                s.close();
            }
            socket.close();
        }
    }
}
