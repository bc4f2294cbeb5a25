package io.tidecast.streams.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the database is: a PostgreSQL JDBC URL and credentials. Connections are opened per use
 * (the writer keeps one open); nothing here pools.
 *
 * @param url such as {@code jdbc:postgresql://127.0.0.1:5432/tidecast}
 * @param user the user, or null
 * @param password the password, or null
 */
public record Database(String url, String user, String password) {

  private static final Pattern NAME = Pattern.compile("(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(.*)");

  public Database {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("a database URL starts with jdbc:postgresql:, got " + url);
    }
  }

  /** Reads {@code tidecast.database.url}, {@code .user}, {@code .password}; null if no URL is set. */
  public static Database from(Properties p) {
    String url = p.getProperty("tidecast.database.url");
    if (url == null || url.isBlank()) {
      return null;
    }
    return new Database(url.trim(), p.getProperty("tidecast.database.user"),
        p.getProperty("tidecast.database.password"));
  }

  public Connection connect() throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("reWriteBatchedInserts", "true");
    props.setProperty("connectTimeout", "5");
    props.setProperty("ApplicationName", "tidecast");
    return DriverManager.getConnection(url, props);
  }

  /**
   * Creates the database named in the URL if the server has none of that name (connecting to the
   * {@code postgres} database to do so); for the single-machine default and tests.
   */
  public void createIfMissing() throws SQLException {
    Matcher m = NAME.matcher(url);
    if (!m.matches()) {
      return;
    }
    try (Connection c = connect()) {
      return; // it exists
    } catch (SQLException e) {
      if (!"3D000".equals(e.getSQLState())) {
        throw e;
      }
    }
    Database admin = new Database(m.group(1) + "postgres" + m.group(3), user, password);
    try (Connection c = admin.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + m.group(2));
    }
  }

  /** The database name in the URL. */
  public String name() {
    Matcher m = NAME.matcher(url);
    return m.matches() ? m.group(2) : url;
  }
}
