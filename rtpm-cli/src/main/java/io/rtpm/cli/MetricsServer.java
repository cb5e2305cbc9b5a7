package io.rtpm.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;


/** Serves {@code GET /metrics} in the Prometheus text format from the JDK's HTTP server. */
final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * @param bind where to listen
     * @param body produces the current exposition text (called per scrape)
     */
    MetricsServer(InetSocketAddress bind, Supplier<String> body) {
        try {
            server = HttpServer.create(bind, 8);
        } catch (BindException e) {
            throw Addresses.bindFailure(e, bind, "metrics");
        } catch (IOException e) {
            throw new CliException(ExitCodes.RING_ERROR, "cannot serve metrics on " + bind + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", ex -> {
            try (ex) {
                if (!"GET".equals(ex.getRequestMethod())) {
                    ex.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(b);
                }
            }
        });
        server.start();
    }

    /** @return the port it listens on */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
