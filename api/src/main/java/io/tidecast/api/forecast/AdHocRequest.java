package io.tidecast.api.forecast;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/forecast}: a window of readings, oldest first, one per step of
 * the model's frequency, with every channel the model reads.
 *
 * <pre>
 * {"model": "linear-ar", "series": "pump-3",
 *  "readings": [{"ts": "2026-11-28T00:00:00Z", "values": {"HUFL": 5.8, ..., "OT": 30.5}}, ...]}
 * </pre>
 *
 * @param model the model name; unset: the model of series without settings of their own
 * @param series a name for the forecast; unset: {@code ad-hoc}
 * @param readings at least the model's input length; the last input-length readings are used
 */
record AdHocRequest(String model, String series, List<Reading> readings) {

  /** One step: ISO-8601 time with an offset, or epoch milliseconds, and a value per channel. */
  record Reading(String ts, Map<String, Double> values) {}
}
