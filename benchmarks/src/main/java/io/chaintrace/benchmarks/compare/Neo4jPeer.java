package io.chaintrace.benchmarks.compare;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.RowRef;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.TransactionTerminatedException;

/** Neo4j embedded as the peer of the side-by-side run: loading the spend graph and the UTXO model, and the Cypher an analyst would write. */
final class Neo4jPeer {
    private Neo4jPeer() {
    }

    static DatabaseManagementService neo4j(Path home, SideBySide.Settings s) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.pagecache_memory, s.pageCacheBytes())
                .build();
    }

    static void loadNeo4j(GraphDatabaseService db, int n, IntArrayList src, IntArrayList dst, LongArrayList val) {
        int batch = 50_000;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch) - 1;
            try (Transaction tx = db.beginTx()) {
                tx.execute("UNWIND range($from, $to) AS i CREATE (:Tx {id: i})", Map.of("from", from, "to", to)).close();
                tx.commit();
            }
        }
        try (Transaction tx = db.beginTx()) {
            tx.execute("CREATE INDEX tx_id IF NOT EXISTS FOR (t:Tx) ON (t.id)").close();
            tx.commit();
        }
        try (Transaction tx = db.beginTx()) {
            tx.schema().awaitIndexesOnline(10, java.util.concurrent.TimeUnit.MINUTES);
        }
        for (int from = 0; from < src.size(); from += batch) {
            int to = Math.min(src.size(), from + batch);
            List<List<Long>> rows = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                rows.add(List.of((long) src.getInt(i), (long) dst.getInt(i), val.getLong(i)));
            }
            try (Transaction tx = db.beginTx()) {
                tx.execute("UNWIND $rows AS r MATCH (a:Tx {id: r[0]}) MATCH (b:Tx {id: r[1]}) CREATE (a)-[:SPENT_BY {value: r[2]}]->(b)",
                        Map.of("rows", rows)).close();
                tx.commit();
            }
            if ((from / batch) % 10 == 0) {
                SideBySide.log("neo4j: %,d of %,d edges", to, src.size());
            }
        }
    }

    /** Loads every transaction of the store in the usual UTXO model, with the indexes an investigator's look-ups need. */
    static void loadNeo4jUtxo(GraphDatabaseService db, ChainStore cs) {
        try (Transaction tx = db.beginTx()) {
            for (String index : List.of("FOR (t:Tx) ON (t.id)", "FOR (t:Tx) ON (t.txid)", "FOR (o:Output) ON (o.id)", "FOR (a:Address) ON (a.id)",
                    "FOR (a:Address) ON (a.address)")) {
                tx.execute("CREATE INDEX IF NOT EXISTS " + index).close();
            }
            tx.commit();
        }
        try (Transaction tx = db.beginTx()) {
            tx.schema().awaitIndexesOnline(10, java.util.concurrent.TimeUnit.MINUTES);
        }
        Map<String, Integer> addresses = new HashMap<>();
        int[] seq = {0};
        long[] outputId = {0};
        List<Map<String, Object>> txs = new ArrayList<>();
        List<Map<String, Object>> outs = new ArrayList<>();
        List<Map<String, Object>> newAddresses = new ArrayList<>();
        List<List<Long>> spends = new ArrayList<>();
        Runnable flush = () -> {
            try (Transaction tx = db.beginTx()) {
                tx.execute("UNWIND $rows AS r CREATE (:Address {id: r.id, address: r.address})", Map.of("rows", newAddresses)).close();
                tx.execute("UNWIND $rows AS r CREATE (:Tx {id: r.id, txid: r.txid, height: r.height, time: r.time})", Map.of("rows", txs)).close();
                tx.execute("UNWIND $rows AS r MATCH (t:Tx {id: r.tx}) CREATE (t)-[:OUT {vout: r.vout}]->(o:Output {id: r.id, value: r.value})"
                        + " WITH o, r WHERE r.owner >= 0 MATCH (a:Address {id: r.owner}) CREATE (o)-[:LOCKED]->(a)", Map.of("rows", outs)).close();
                tx.execute("UNWIND $rows AS r MATCH (o:Output {id: r[0]}) MATCH (t:Tx {id: r[1]}) CREATE (o)-[:IN]->(t)", Map.of("rows", spends))
                        .close();
                tx.commit();
            }
            txs.clear();
            outs.clear();
            newAddresses.clear();
            spends.clear();
        };
        cs.forEachTransaction(t -> {
            int id = seq[0]++;
            txs.add(Map.of("id", id, "txid", t.txid().hex(), "height", t.block().height(), "time", t.block().time()));
            for (var in : t.inputs()) {
                if (in.status() == io.chaintrace.core.model.InputStatus.RESOLVED) {
                    RowRef r = cs.rowOf(in.prevout()).orElseThrow();
                    spends.add(List.of((long) r.output(), (long) id));
                }
            }
            for (var o : t.outputs()) {
                int owner = -1;
                if (o.owner().isPresent()) {
                    String a = o.owner().get().text();
                    Integer known = addresses.get(a);
                    if (known == null) {
                        known = addresses.size();
                        addresses.put(a, known);
                        newAddresses.add(Map.of("id", known, "address", a));
                    }
                    owner = known;
                }
                outs.add(Map.of("tx", id, "vout", o.index(), "id", outputId[0] + o.index(), "value", o.value(), "owner", owner));
            }
            outputId[0] += t.outputs().size();
            if (txs.size() >= 20_000) {
                flush.run();
                if (id % 200_000 < 20_000) {
                    SideBySide.log("neo4j (UTXO model): %,d transactions", id + 1);
                }
            }
        });
        flush.run();
    }

    /** The Cypher an analyst would write on the spend graph; null when it ran past the timeout. */
    static int[] cypher(GraphDatabaseService db, int seed, int k, Duration timeout) {
        return reachable(db, "MATCH (s:Tx {id: $id})-[:SPENT_BY*1.." + k + "]->(t:Tx) RETURN DISTINCT t.id AS id", seed, timeout);
    }

    /** The same in the UTXO model, where a hop is an output and the transaction spending it. */
    static int[] cypherUtxo(GraphDatabaseService db, int seed, int k, Duration timeout) {
        return reachable(db, "MATCH (s:Tx {id: $id})-[:OUT|IN*2.." + (2 * k) + "]->(t:Tx) RETURN DISTINCT t.id AS id", seed, timeout);
    }

    /** Runs a reachability query for one seed; null when Neo4j stopped it at the timeout. */
    private static int[] reachable(GraphDatabaseService db, String cypher, int seed, Duration timeout) {
        try (Transaction tx = db.beginTx(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
             Result r = tx.execute(cypher, Map.of("id", seed))) {
            IntArrayList out = new IntArrayList();
            while (r.hasNext()) {
                out.add(((Number) r.next().get("id")).intValue());
            }
            tx.commit();
            return out.toIntArray();
        } catch (TransactionTerminatedException e) {
            return null;
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("timeout") || String.valueOf(e.getMessage()).contains("terminated")) {
                return null;
            }
            throw e;
        }
    }
}
