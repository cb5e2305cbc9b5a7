import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The plain Java reference relay: one thread, one blocking {@link DatagramChannel}, one
 * datagram per receive and per send, a reused direct buffer. What a Java developer writes
 * without FFM or a ring; the relay benchmark compares rtpm stream with it.
 *
 * <p>Usage: {@code java NioRelay.java RXPORT DSTHOST DSTPORT}. Runs until killed.
 */
public final class NioRelay {

    private NioRelay() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: NioRelay RXPORT DSTHOST DSTPORT");
            System.exit(2);
        }
        InetSocketAddress dst = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        try (DatagramChannel in = DatagramChannel.open(); DatagramChannel out = DatagramChannel.open()) {
            // the same receive buffer as every relay compared (4 MiB; rmem_max caps it)
            in.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            in.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            System.err.println("relaying");
            while (true) {
                buf.clear();
                in.receive(buf);
                buf.flip();
                out.send(buf, dst);
            }
        }
    }
}
