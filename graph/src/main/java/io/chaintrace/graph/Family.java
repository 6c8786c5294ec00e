package io.chaintrace.graph;

import java.nio.charset.StandardCharsets;

/**
 * The store's column families (docs/STORE.md gives every key and value layout). The order is the
 * order {@link ChainStore#digest()} reads them in; a new family goes at the end.
 */
enum Family {
    BLOCKS("blocks"),
    BLOCK_HEIGHTS("block_heights"),
    TRANSACTIONS("transactions"),
    OUTPUTS("outputs"),
    SPENDS("spends"),
    ADDRESS_IDS("address_ids"),
    ADDRESSES("addresses"),
    ADDRESS_TXS("address_txs"),
    LABELS("labels"),
    CHECKPOINTS("checkpoints"),
    META("meta"),
    ETH_BLOCKS("eth_blocks"),
    TRANSFERS("transfers"),
    ACCOUNT_TRANSFERS("account_transfers"),
    ASSETS("assets"),
    ASSET_IDS("asset_ids"),
    /** Compact rows: values built by appending merges, read one page per look-up. */
    TX_PAGES("tx_pages", true),
    /** Labelled owners' categories: one value built by appending merges. */
    OWNER_LABELS("owner_labels", true),
    TX_IDS("tx_ids"),
    ENTITY_PARENTS("entity_parents"),
    ETH_GAS("eth_gas"),
    KEY_ADDRESSES("key_addresses"),
    SPEND_STATUS("spend_status"),
    FETCH_CACHE("fetch_cache"),
    /** Ethereum addresses whose whole history a fetch asked for, and over which blocks. */
    ETH_FETCHED("eth_fetched");

    /** The name RocksDB knows the family by. */
    final String id;
    /** Whether values are built by appending merges (then tuned for one look-up per value). */
    final boolean appended;

    Family(String id) {
        this(id, false);
    }

    Family(String id, boolean appended) {
        this.id = id;
        this.appended = appended;
    }

    byte[] idBytes() {
        return id.getBytes(StandardCharsets.US_ASCII);
    }
}
