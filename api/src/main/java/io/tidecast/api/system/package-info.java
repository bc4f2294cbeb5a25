/** What every endpoint shares: problem responses, the API key, request size limits and metrics. */
package io.tidecast.api.system;
