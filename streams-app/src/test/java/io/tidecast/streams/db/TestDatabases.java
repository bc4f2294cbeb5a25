package io.tidecast.streams.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases of their own on the real PostgreSQL server at 127.0.0.1:5432 (user postgres), made
 * and dropped by the tests, and an outage: connections to one database refused and cut.
 */
public final class TestDatabases {

  public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final Database ADMIN = new Database(SERVER + "postgres", "postgres", null);

  private TestDatabases() {}

  /** A new, empty database. */
  public static Database create(String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Database database = new Database(SERVER + name, "postgres", null);
    database.createIfMissing();
    return database;
  }

  public static void drop(Database database) throws SQLException {
    execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
  }

  /** Refuses new connections to the database and cuts the open ones. */
  public static void cut(Database database) throws SQLException {
    execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS false");
    execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database.name()
        + "' AND pid <> pg_backend_pid()");
  }

  public static void restore(Database database) throws SQLException {
    execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS true");
  }

  public static long count(Database database, String sql) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = ADMIN.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
