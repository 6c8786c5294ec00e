package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.trace.UtxoLedger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes what fetches bring in (docs/STORE.md, "Fetched neighbourhoods"): transactions without their
 * blocks, in the same families and layout as block ingest, so every reader and tracer works on them
 * unchanged. Inputs take their value and owner from the stored output when there is one, else from
 * what the source said the spent output was; outputs start <em>unknown</em> in {@code spend_status}
 * until the source says they are unspent, or a spender arrives. Each call is one atomic batch.
 */
final class FetchWriter {
    static final byte UNKNOWN = 0;
    static final byte UNSPENT = 1;
    /** {@code meta} keys counting fetched transactions per source. */
    static final String SOURCE_PREFIX = "fetched:";

    private final StoreFiles files;
    private final Counters counters;
    private final AddressBook addresses;
    private final BlockWriter writer;

    FetchWriter(StoreFiles files, Counters counters, AddressBook addresses, BlockWriter writer) {
        this.files = files;
        this.counters = counters;
        this.addresses = addresses;
        this.writer = writer;
    }

    int put(List<FetchedTransaction> fetched, String source) {
        synchronized (files) {
            writer.requireWritable();
            // Its history goes straight into `address_txs`: the blocks' pending history first, in chain order.
            writer.writeHistory();
            List<FetchedTransaction> todo = new ArrayList<>();
            java.util.Set<Hash256> seen = new java.util.HashSet<>();
            for (FetchedTransaction t : fetched) {
                if (seen.add(t.txid()) && files.get(Family.TRANSACTIONS, t.txid().bytes()) == null) {
                    todo.add(t);
                }
            }
            if (todo.isEmpty()) {
                return 0;
            }
            try (WriteBatch batch = new WriteBatch()) {
                Write w = new Write(todo);
                w.owners(batch);
                w.write(batch);
                Counters next = counters.plusFetched(todo.size(), w.inputs, w.outputs, w.value, w.standard, w.newIds.size(), w.unresolved);
                next.write(batch, files);
                String bySource = SOURCE_PREFIX + source;
                files.putMeta(batch, bySource, files.meta(bySource, 0) + todo.size());
                files.write(batch);
                counters.set(next);
                w.newIds.forEach(addresses::remember);
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
            return todo.size();
        }
    }

    void putUnspent(List<Outpoint> outputs, int height, String source) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            byte[] src = source.getBytes(StandardCharsets.UTF_8);
            try (WriteBatch batch = new WriteBatch()) {
                for (Outpoint op : outputs) {
                    byte[] key = Keys.outpoint(op);
                    if (Spends.find(files, op).isEmpty()) {
                        batch.put(files.handle(Family.SPEND_STATUS), key, ByteBuffer.allocate(5 + src.length).put(UNSPENT).putInt(height)
                                .put(src).array());
                    }
                }
                files.write(batch);
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
        }
    }

    void putSpends(List<UtxoLedger.Spend> spends) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            try (WriteBatch batch = new WriteBatch()) {
                for (UtxoLedger.Spend s : spends) {
                    byte[] v = new byte[36];
                    s.spendingTx().copyTo(v, 0);
                    Keys.putInt(v, 32, s.inputIndex());
                    batch.put(files.handle(Family.SPENDS), Keys.outpoint(s.spent()), v);
                }
                files.write(batch);
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the store knows if this output was spent (see {@link UtxoLedger#spendKnown}). */
    boolean spendKnown(Outpoint op) {
        if (Spends.find(files, op).isPresent()) {
            return true;
        }
        byte[] status = files.get(Family.SPEND_STATUS, Keys.outpoint(op));
        return status == null || status[0] == UNSPENT;
    }

    /** One batch of fetched transactions. */
    private final class Write {
        final List<FetchedTransaction> txs;
        final Map<String, Integer> ids = new HashMap<>();
        final LinkedHashMap<String, Integer> newIds = new LinkedHashMap<>();
        final Map<String, ScriptKind> newKinds = new HashMap<>();
        long inputs;
        long outputs;
        long value;
        long unresolved;
        long standard;

        Write(List<FetchedTransaction> txs) {
            this.txs = txs;
        }

        /** Owner ids for every address the batch names, outputs and prevouts, new ones in order of appearance. */
        void owners(WriteBatch batch) throws RocksDBException {
            int next = counters.nextAddressId;
            for (FetchedTransaction t : txs) {
                List<Address> named = new ArrayList<>();
                t.prevouts().forEach(p -> p.flatMap(TxOutput::owner).ifPresent(named::add));
                t.outputs().forEach(o -> o.owner().ifPresent(named::add));
                for (Address a : named) {
                    if (ids.containsKey(a.text())) {
                        continue;
                    }
                    int id = addresses.idOf(a.text());
                    if (id < 0) {
                        id = next++;
                        newIds.put(a.text(), id);
                        newKinds.put(a.text(), a.kind());
                        if (a.kind().hasStandardAddress()) {
                            standard++;
                        }
                    }
                    ids.put(a.text(), id);
                }
            }
            KeyOrderedWrites owners = new KeyOrderedWrites();
            for (Map.Entry<String, Integer> e : newIds.entrySet()) {
                addresses.put(owners, e.getKey(), newKinds.get(e.getKey()), e.getValue());
            }
            owners.writeTo(batch, files);
        }

        private int owner(Optional<Address> a) {
            return a.map(x -> ids.get(x.text())).orElse(OutputRecord.NO_OWNER);
        }

        void write(WriteBatch batch) throws RocksDBException {
            ColumnFamilyHandle pages = files.handle(Family.TX_PAGES);
            long seq = counters.txs;
            long outputId = counters.outputs;
            for (FetchedTransaction t : txs) {
                Map<Integer, Byte> touched = new LinkedHashMap<>();
                TxPages.Body body = new TxPages.Body(seq, t.spends().size(), t.outputs().size(), outputId);
                ByteBuffer rec = ByteBuffer.allocate(32 + 4 + 8 + 4 + 4 + 4 + t.spends().size() * 49);
                rec.put(t.block().bytes()).putInt(t.height()).putLong(t.time()).putInt(t.position()).putInt(t.spends().size())
                        .putInt(t.outputs().size());
                for (int i = 0; i < t.spends().size(); i++) {
                    Outpoint op = t.spends().get(i);
                    inputs++;
                    if (op.equals(Outpoint.COINBASE)) {
                        rec.put(Hash256.ZERO.bytes()).putInt(-1).put((byte) InputStatus.COINBASE.ordinal()).putLong(0)
                                .putInt(OutputRecord.NO_OWNER);
                        body.input(-1, -1, 0);
                        continue;
                    }
                    byte[] stored = files.get(Family.OUTPUTS, Keys.outpoint(op));
                    Optional<TxOutput> said = t.prevouts().get(i);
                    if (stored != null) {
                        OutputRecord prev = OutputRecord.decode(stored);
                        rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.RESOLVED.ordinal()).putLong(prev.value())
                                .putInt(prev.ownerId());
                        body.input(prev.outputId(), prev.seq(), prev.value());
                        batch.merge(pages, TxPages.pageKey(prev.seq()), TxPages.spend(prev.seq(), op.vout(), seq));
                        if (prev.ownerId() != OutputRecord.NO_OWNER) {
                            touched.merge(prev.ownerId(), Keys.SENT, (a, b) -> (byte) (a | b));
                        }
                    } else if (said.isPresent()) {
                        // The funding transaction is not fetched: the source said what it paid.
                        int owner = owner(said.get().owner());
                        rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.RESOLVED.ordinal())
                                .putLong(said.get().value()).putInt(owner);
                        body.input(-1, -1, said.get().value());
                        if (owner != OutputRecord.NO_OWNER) {
                            touched.merge(owner, Keys.SENT, (a, b) -> (byte) (a | b));
                        }
                    } else {
                        unresolved++;
                        rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.UNRESOLVED.ordinal()).putLong(0)
                                .putInt(OutputRecord.NO_OWNER);
                        body.input(-1, -1, 0);
                    }
                    byte[] spend = new byte[36];
                    t.txid().copyTo(spend, 0);
                    Keys.putInt(spend, 32, i);
                    batch.put(files.handle(Family.SPENDS), Keys.outpoint(op), spend);
                    batch.delete(files.handle(Family.SPEND_STATUS), Keys.outpoint(op));
                }
                for (TxOutput o : t.outputs()) {
                    outputs++;
                    value = Math.addExact(value, o.value());
                    int owner = owner(o.owner());
                    OutputRecord out = new OutputRecord(o.value(), o.kind(), owner, seq, outputId + o.index());
                    body.output(o.value(), owner);
                    byte[] key = Keys.outpoint(t.txid(), o.index());
                    batch.put(files.handle(Family.OUTPUTS), key, out.encode());
                    // Its outputs are written in this batch: a spend known already came from an input of a block or
                    // of a fetched transaction that the store could not resolve, kept in `spends`.
                    if (files.get(Family.SPENDS, key) == null) {
                        batch.put(files.handle(Family.SPEND_STATUS), key, new byte[] {UNKNOWN});
                    }
                    if (owner != OutputRecord.NO_OWNER) {
                        touched.merge(owner, Keys.RECEIVED, (a, b) -> (byte) (a | b));
                    }
                }
                batch.put(files.handle(Family.TRANSACTIONS), t.txid().bytes(), rec.array());
                batch.merge(pages, TxPages.pageKey(seq), body.encode());
                batch.put(files.handle(Family.TX_IDS), Keys.number(seq), t.txid().bytes());
                for (Map.Entry<Integer, Byte> e : touched.entrySet()) {
                    batch.put(files.handle(Family.ADDRESS_TXS), Keys.addressTx(e.getKey(), t.height(), t.position(), t.txid()),
                            new byte[] {e.getValue()});
                }
                seq++;
                outputId += t.outputs().size();
            }
        }
    }
}
