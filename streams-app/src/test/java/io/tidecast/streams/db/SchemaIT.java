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
      assertThat(Schema.apply(c)).isEqualTo(timescale ? java.util.List.of("V1__base.sql", "T1__timescale.sql")
          : java.util.List.of("V1__base.sql"));
      assertThat(Schema.apply(c)).isEmpty();
      // the scripts themselves can run again too
      try (Statement s = c.createStatement()) {
        s.execute(Schema.read("db/V1__base.sql"));
        s.execute("INSERT INTO readings VALUES ('2026-01-01T00:00:00Z', 's', 'OT', 1.5)");
        s.execute("INSERT INTO forecasts VALUES ('2026-01-01T00:00:00Z', 's', 'OT', '2026-01-01T01:00:00Z', 1, 1.0,"
            + " 0.5, 1.5, 'm', '1')");
        s.execute("INSERT INTO readings VALUES ('2026-01-01T01:00:00Z', 's', 'OT', 1.2)");
      }
    }
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM tidecast_schema_history")).isEqualTo(1);
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecast_errors WHERE covered = 1")).isEqualTo(1);
    assertThat(TestDatabases.count(database,
        "SELECT round(mae * 1000) FROM forecast_error_hourly WHERE series = 's' AND step = 1")).isEqualTo(200);
  }
}
