/**
 * JMH benchmarks of the hot paths, run with {@code benchmarks/run}; figures in benchmarks/README.md.
 * May depend on every other module; nothing depends on it.
 */
package io.chaintrace.benchmarks;
