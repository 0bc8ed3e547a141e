package org.emailconfig.core.internal.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories that switch Nagle's algorithm off. Angus Mail writes a message through an 8 KiB
 * buffer: a message under 8 KiB goes out in one segment with its terminating dot, but a larger one ends in
 * a partial segment that, with Nagle on, waits for the server's delayed ACK of the previous one (about
 * 40 ms here) before the dot goes out, on every such message of a kept-open connection.
 */
final class NoDelaySockets {

    /**
     * Told of every socket created on this thread while a transport connects, so it can give the greeting
     * a timeout of its own and a diagnosis can see when TLS starts; unset otherwise.
     */
    static final ThreadLocal<java.util.function.Consumer<Socket>> CAPTURE = new ThreadLocal<>();

    private NoDelaySockets() {
    }

    private static <S extends Socket> S noDelay(S socket) throws IOException {
        socket.setTcpNoDelay(true);
        java.util.function.Consumer<Socket> capture = CAPTURE.get();
        if (capture != null) {
            capture.accept(socket);
        }
        return socket;
    }

    /** Plain sockets (also the base of a STARTTLS upgrade). */
    static final class Plain extends SocketFactory {
        private final SocketFactory delegate = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            // Angus connects the unconnected socket itself, with the configured connect timeout.
            return noDelay(new DeadlineSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    /** A plain socket whose connect timeout is shortened to what is left of the thread's {@link SendDeadline}. */
    private static final class DeadlineSocket extends Socket {
        @Override
        public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
            super.connect(endpoint, timeout == 0 ? 0 : SendDeadline.cap(timeout));
        }
    }

    /** TLS sockets, wrapping the factory that carries the trust decisions. */
    static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Tls(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return noDelay(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
