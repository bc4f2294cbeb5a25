/** Simple models every deep model must beat, and the service's fallback before one is trained. */
package io.tidecast.zoo.baseline;
