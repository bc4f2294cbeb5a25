/** The {@code zoo} command line: evaluate model kinds on a CSV series. */
package io.tidecast.zoo.cli;
