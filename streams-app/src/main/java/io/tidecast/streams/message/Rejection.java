package io.tidecast.streams.message;

/**
 * Why a record went to the dead-letter topic: a short code (the {@code tidecast.error} header) and a
 * sentence for people (the {@code tidecast.error.detail} header).
 */
public record Rejection(String code, String detail) {

  public static final String MALFORMED_JSON = "malformed-json";
  public static final String TOO_LARGE = "too-large";
  public static final String MISSING_KEY = "missing-key";
  public static final String KEY_MISMATCH = "key-mismatch";
  public static final String MISSING_FIELD = "missing-field";
  public static final String WRONG_TYPE = "wrong-type";
  public static final String BAD_TIMESTAMP = "bad-timestamp";
  public static final String NON_FINITE_VALUE = "non-finite-value";
  public static final String UNKNOWN_CHANNEL = "unknown-channel";
  public static final String WRONG_CHANNEL_COUNT = "wrong-channel-count";
  public static final String LATE = "late";

  /** Header names on dead letters. */
  public static final String CODE_HEADER = "tidecast.error";
  public static final String DETAIL_HEADER = "tidecast.error.detail";
}
