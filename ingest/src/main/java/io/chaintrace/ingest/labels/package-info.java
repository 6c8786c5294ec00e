/**
 * Label sources: GraphSense TagPacks, OFAC address lists, Etherscan label exports, and a plain
 * CSV, one class per format behind {@link io.chaintrace.ingest.labels.LabelSource}, normalised to
 * Chaintrace's categories and written to the store by {@link io.chaintrace.ingest.labels.LabelImporter}.
 */
package io.chaintrace.ingest.labels;
