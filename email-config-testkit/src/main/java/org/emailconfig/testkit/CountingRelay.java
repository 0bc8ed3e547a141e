package org.emailconfig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apiguardian.api.API;

/**
 * A loopback TCP relay that forwards every connection to a target port and counts the connections it
 * relayed: put it between the library and a test server to see how many connections the library opens, or
 * cut them all ({@link #dropAll()}) as a server dropping idle clients would.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CountingRelay implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /**
     * A relay on 127.0.0.1.
     *
     * @param targetPort the loopback port to forward to
     * @throws IOException when the listening socket cannot be opened
     */
    public CountingRelay(int targetPort) throws IOException {
        this(targetPort, "127.0.0.1");
    }

    /**
     * A relay listening on another loopback address, e.g. 127.0.0.2, to present a different host.
     *
     * @param targetPort  the loopback port to forward to
     * @param bindAddress the loopback address to listen on
     * @throws IOException when the listening socket cannot be opened
     */
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

    /**
     * Where the relay listens.
     *
     * @return the port on the bind address
     */
    public int port() {
        return socket.getLocalPort();
    }

    /**
     * How many connections were relayed so far.
     *
     * @return the count
     */
    public int connections() {
        return connections.get();
    }

    /** Cuts every relayed connection, as a server dropping idle clients would. */
    public void dropAll() {
        open.forEach(CountingRelay::closeQuietly);
        open.clear();
    }

    /** Stops listening and cuts every relayed connection. */
    @Override
    public void close() throws IOException {
        socket.close();
        open.forEach(CountingRelay::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing a relayed socket that is already gone.
        }
    }
}
