package io.tidecast.streams.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The endpoint other instances ask for what this one owns, answered from the local stores only:
 * {@code GET /internal/<view>/<series>} for each {@link ForecastQueries.View} (200 with JSON, 404 if
 * there is none, 503 while the store is not ready), and {@code GET /internal/series} (the series in
 * this instance's store, a JSON array).
 */
public final class QueryServer implements AutoCloseable {

  static final String PREFIX = "/internal/";
  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

  private final HttpServer server;

  public QueryServer(int port, ForecastQueries queries) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " for queries", e);
    }
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "tidecast-query");
      t.setDaemon(true);
      return t;
    }));
    for (ForecastQueries.View view : ForecastQueries.View.values()) {
      server.createContext(PREFIX + view.path + "/", exchange -> answer(exchange, view, queries));
    }
    server.createContext(PREFIX + "series", exchange -> {
      try (exchange) {
        byte[] body;
        try {
          body = JSON.writeValueAsBytes(queries.localSeries());
        } catch (IllegalStateException notReady) {
          send(exchange, 503, "store not ready: " + notReady.getMessage());
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, ForecastQueries.View view, ForecastQueries queries)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "only GET");
        return;
      }
      String series = URLDecoder.decode(
          exchange.getRequestURI().getRawPath().substring(PREFIX.length() + view.path.length() + 1),
          StandardCharsets.UTF_8);
      Optional<byte[]> forecast;
      try {
        forecast = queries.local(view, series);
      } catch (IllegalStateException notReady) {
        send(exchange, 503, "store not ready: " + notReady.getMessage());
        return;
      }
      if (forecast.isEmpty()) {
        send(exchange, 404, "nothing for " + series);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, forecast.get().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(forecast.get());
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
