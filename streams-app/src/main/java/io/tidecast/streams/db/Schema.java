package io.tidecast.streams.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL of {@code deploy/db} (in the jar under {@code db/}): the base schema
 * always, the TimescaleDB part only where the {@code timescaledb} extension is available. Each
 * script runs once, in a transaction, and is recorded in {@code tidecast_schema_history}; the
 * scripts are idempotent themselves, so running them again changes nothing.
 */
public final class Schema {

  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  /** The base scripts, in order. */
  static final List<String> BASE = List.of("V1__base.sql", "V2__issued_forecasts.sql");
  /** The TimescaleDB scripts, in order. */
  static final List<String> TIMESCALE = List.of("T1__timescale.sql");

  private Schema() {}

  /** Applies what is not applied yet; the scripts that ran. */
  public static List<String> apply(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tidecast_schema_history ("
          + "script text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
      connection.commit();
      List<String> ran = new ArrayList<>();
      for (String script : BASE) {
        run(connection, script, "db/" + script, ran);
      }
      if (timescaleAvailable(connection)) {
        for (String script : TIMESCALE) {
          run(connection, script, "db/timescale/" + script, ran);
        }
      }
      return ran;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Whether the server offers the timescaledb extension. */
  public static boolean timescaleAvailable(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
      return r.next();
    }
  }

  private static void run(Connection connection, String script, String resource, List<String> ran)
      throws SQLException {
    try (PreparedStatement done = connection.prepareStatement(
        "SELECT 1 FROM tidecast_schema_history WHERE script = ?")) {
      done.setString(1, script);
      try (ResultSet r = done.executeQuery()) {
        if (r.next()) {
          return;
        }
      }
    }
    try (Statement s = connection.createStatement();
        PreparedStatement record = connection.prepareStatement(
            "INSERT INTO tidecast_schema_history (script) VALUES (?)")) {
      s.execute(read(resource));
      record.setString(1, script);
      record.executeUpdate();
    }
    connection.commit();
    ran.add(script);
    log.info("applied {}", script);
  }

  static String read(String resource) {
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
