/** The model registry of the service: names, versions, the active one, hot swap; its endpoints. */
package io.tidecast.api.model;
