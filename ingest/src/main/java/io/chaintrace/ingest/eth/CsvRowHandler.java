package io.chaintrace.ingest.eth;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import java.util.Arrays;

/**
 * FastCSV's rows as arrays of text that hold only the columns an import reads: the header is kept whole, then a field
 * outside {@link #keep} is passed over where FastCSV's own record handler makes a string of every field. An export's
 * transactions and traces are mostly their {@code input} and {@code output} call data (most of a row's bytes in
 * mainnet's shape), which no transfer is made of: made into text, they were most of a reader's allocation; passed over,
 * the readers take about 8% less CPU and hold no copy of them until the range is typed.
 */
final class CsvRowHandler extends AbstractBaseCsvCallbackHandler<CsvRowHandler.Fields> {
    /** One row: its values by column (null: passed over, or past the row's end), how many it has, its first line. */
    record Fields(String[] values, int count, long line) {
    }

    /** Which columns to keep, by index; null until the header is read (it is kept whole). */
    private boolean[] keep;
    private String[] values = new String[32];

    /** From the next row on, only the columns marked in {@code keep} are made into text. */
    void keep(boolean[] keep) {
        this.keep = keep.clone();
    }

    @Override
    protected void handleBegin(long line) {
        values = new String[values.length];
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
        if (index >= values.length) {
            values = Arrays.copyOf(values, Math.max(index + 1, values.length * 2));
        }
        if (keep == null || index < keep.length && keep[index]) {
            values[index] = new String(buf, offset, len);
        }
    }

    @Override
    protected Fields buildRecord() {
        return new Fields(values, getFieldCount(), getStartingLineNumber());
    }
}
