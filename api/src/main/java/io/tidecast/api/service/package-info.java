/** The running service (models, streams, simulated fleet) and its Spring wiring, health and settings. */
package io.tidecast.api.service;
