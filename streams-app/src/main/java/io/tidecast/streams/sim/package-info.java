/** Load for the service: a simulated fleet of sensors and a CSV replayer. */
package io.tidecast.streams.sim;
