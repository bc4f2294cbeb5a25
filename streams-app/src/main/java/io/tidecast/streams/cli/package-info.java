/** The {@code tidecast-streams} command line: run the service, simulate a fleet, replay a CSV, benchmark. */
package io.tidecast.streams.cli;
