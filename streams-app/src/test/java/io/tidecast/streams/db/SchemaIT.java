package io.tidecast.streams.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The migrations against the real PostgreSQL server: an empty database, then again. */
@Tag("integration")
class SchemaIT {

  private Database database;

  @BeforeEach
  void create() throws Exception {
    database = TestDatabases.create("tidecast_schema");
  }

  @AfterEach
  void drop() throws Exception {
    TestDatabases.drop(database);
  }

  @Test
  void migrationsApplyToAnEmptyDatabaseAndAreIdempotent() throws Exception {
    try (Connection c = database.connect()) {
      boolean timescale = Schema.timescaleAvailable(c);
      assertThat(Schema.apply(c)).isEqualTo(timescale
          ? java.util.List.of("V1__base.sql", "V2__issued_forecasts.sql", "T1__timescale.sql")
          : java.util.List.of("V1__base.sql", "V2__issued_forecasts.sql"));
      assertThat(Schema.apply(c)).isEmpty();
      // the scripts themselves can run again too
      try (Statement s = c.createStatement()) {
        s.execute(Schema.read("db/V1__base.sql"));
        s.execute(Schema.read("db/V2__issued_forecasts.sql"));
        s.execute("INSERT INTO readings VALUES ('2026-01-01T00:00:00Z', 's', 'OT', 1.5)");
        // two steps, two channels; the second step has no interval
        s.execute("INSERT INTO issued_forecasts VALUES ('2026-01-01T00:00:00Z', 's', 'm', '1', '{OT,HUFL}',"
            + " '{2026-01-01T01:00:00Z,2026-01-01T02:00:00Z}', '{{1.0,7},{2.0,8}}', '{{0.5,6},{NaN,NaN}}',"
            + " '{{1.5,9},{NaN,NaN}}')");
        s.execute("INSERT INTO readings VALUES ('2026-01-01T01:00:00Z', 's', 'OT', 1.2)");
      }
    }
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM tidecast_schema_history")).isEqualTo(2);
    // the long view: one row per value, the interval where there was one
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecasts")).isEqualTo(4);
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecasts WHERE yhat_lower IS NULL")).isEqualTo(2);
    assertThat(TestDatabases.count(database, "SELECT yhat FROM forecasts WHERE channel = 'HUFL' AND step = 2"
        + " AND target_ts = '2026-01-01T02:00:00Z'")).isEqualTo(8);
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecast_errors WHERE covered = 1")).isEqualTo(1);
    assertThat(TestDatabases.count(database,
        "SELECT round(mae * 1000) FROM forecast_error_hourly WHERE series = 's' AND step = 1 AND channel = 'OT'"))
        .isEqualTo(200);
  }

  @Test
  void aDatabaseOfTheLongFormatKeepsItsForecastRowsAside() throws Exception {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tidecast_schema_history (script text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
      s.execute(Schema.read("db/V1__base.sql"));
      s.execute("INSERT INTO tidecast_schema_history (script) VALUES ('V1__base.sql')");
      s.execute("INSERT INTO forecasts VALUES ('2026-01-01T00:00:00Z', 's', 'OT', '2026-01-01T01:00:00Z', 1, 1.0,"
          + " 0.5, 1.5, 'm', '1')");
      assertThat(Schema.apply(c)).contains("V2__issued_forecasts.sql").doesNotContain("V1__base.sql");
    }
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecasts_v1")).isEqualTo(1);
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecasts")).isZero();
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM issued_forecasts")).isZero();
  }
}
