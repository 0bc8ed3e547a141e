package org.emailconfig.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Real loopback sockets for tests: a server that never answers, and a counting TCP relay. */
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

    /** Forwards every connection to a target port and counts the connections it relayed. */
    public static final class CountingRelay implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        public CountingRelay(int targetPort) throws IOException {
            this(targetPort, "127.0.0.1");
        }

        /** A relay listening on another loopback address, e.g. 127.0.0.2, to present a different host. */
        public CountingRelay(int targetPort, String bindAddress) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName(bindAddress));
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        connections.incrementAndGet();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                        // A relay forwards what arrives as it arrives: with Nagle on, a reply split over two
                        // reads would wait for the peer's delayed ACK on every message.
                        client.setTcpNoDelay(true);
                        server.setTcpNoDelay(true);
                        open.add(client);
                        open.add(server);
                        pump(client, server);
                        pump(server, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "counting-relay");
            t.setDaemon(true);
            t.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // One side closed; closing both ends below ends the other pump too.
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        public int connections() {
            return connections.get();
        }

        /** Cuts every relayed connection, as a server dropping idle clients would. */
        public void dropAll() {
            open.forEach(SocketFixtures::closeQuietly);
            open.clear();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            open.forEach(SocketFixtures::closeQuietly);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }
}
