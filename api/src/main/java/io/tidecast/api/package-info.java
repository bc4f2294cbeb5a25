/** The Spring Boot application that hosts the service: configuration, REST API, health and metrics. */
package io.tidecast.api;
