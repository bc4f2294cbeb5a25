/** Loading series from CSV files and splitting them into train, validation and test rows. */
package io.tidecast.zoo.data;
