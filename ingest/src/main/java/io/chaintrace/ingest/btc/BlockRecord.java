package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import java.nio.file.Path;

/**
 * Where one serialized block lies in a file, and the header facts needed to build the main chain
 * before any block is parsed in full.
 *
 * @param order  position in the input (files in order, records in file order)
 * @param offset byte offset of the serialized block (after magic and length)
 * @param time   the header's timestamp (unix seconds)
 * @param raw    the file had no block-file framing: it is one serialized block
 */
record BlockRecord(int order, Path file, long offset, int length, Hash256 hash, Hash256 prev, long version, long time, long bits,
                   boolean raw) {
}
