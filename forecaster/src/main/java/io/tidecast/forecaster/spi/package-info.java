/**
 * The service-provider interface through which model modules register model kinds by name, and the
 * registry that finds them with {@link java.util.ServiceLoader}.
 */
package io.tidecast.forecaster.spi;
