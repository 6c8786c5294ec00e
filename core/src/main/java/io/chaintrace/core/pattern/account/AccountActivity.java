package io.chaintrace.core.pattern.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TransferKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account-chain transfers of a scan in columns, for the account rules: per transfer its payer, payee, asset, time,
 * amount (exact, and as a double for ratios: rules compare amounts of one asset with each other, never with a price),
 * transaction; per address and asset (a "party") its payments out and in, each list in chain order. Built once per
 * scan; every rule reads the same arrays.
 */
public final class AccountActivity {
    private final Map<Address, Integer> addressIds = new HashMap<>();
    private final List<Address> addresses = new ArrayList<>();
    private final Map<Asset, Integer> assetIds = new HashMap<>();
    private final List<Asset> assets = new ArrayList<>();
    private final Map<Long, Integer> partyIds = new HashMap<>();
    /** Per address, the party of the first asset it was seen with (most addresses move one or two assets): no map lookup. */
    private int[] firstAsset = new int[1024];
    private int[] firstParty = new int[1024];
    private int parties;
    private int[] from = new int[1024];
    private int[] to = new int[1024];
    private int[] asset = new int[1024];
    private long[] time = new long[1024];
    private double[] value = new double[1024];
    private BigInteger[] units = new BigInteger[1024];
    private Hash256[] tx = new Hash256[1024];
    private int[] fromParty = new int[1024];
    private int[] toParty = new int[1024];
    private int size;
    private int[] addressTransfers = new int[1024];
    private boolean[] internalSender = new boolean[1024];
    private boolean[] nativeSender = new boolean[1024];
    private boolean[] relay = new boolean[1024];
    private int txStart;
    private int lastAsset = -1;
    private int[] outStart;
    private int[] outList;
    /** The times of {@code outList}, side by side: what the searches by time read. */
    private long[] outTime;
    private int[] inStart;
    private int[] inList;
    private int[] partyAddress;

    /** Adds a transfer (in chain order); a transfer from an address to itself moves nothing and is left out. */
    public void add(AccountTransfer t) {
        if (outStart != null) {
            throw new IllegalStateException("transfers are added before the activity is read");
        }
        if (t.from().equals(t.to())) {
            return;
        }
        if (size == from.length) {
            int n = size * 2;
            from = Arrays.copyOf(from, n);
            to = Arrays.copyOf(to, n);
            asset = Arrays.copyOf(asset, n);
            time = Arrays.copyOf(time, n);
            value = Arrays.copyOf(value, n);
            units = Arrays.copyOf(units, n);
            tx = Arrays.copyOf(tx, n);
            fromParty = Arrays.copyOf(fromParty, n);
            toParty = Arrays.copyOf(toParty, n);
        }
        Asset moved = t.amount().asset();
        int a;
        if (lastAsset >= 0 && assets.get(lastAsset).equals(moved)) {
            a = lastAsset; // runs of one asset are the rule: no hash of the asset's record for them
        } else {
            a = assetIds.computeIfAbsent(moved, k -> {
                assets.add(k);
                return assets.size() - 1;
            });
            lastAsset = a;
        }
        int f = address(t.from());
        int r = address(t.to());
        from[size] = f;
        to[size] = r;
        asset[size] = a;
        time[size] = t.block().time();
        units[size] = t.amount().units();
        value[size] = t.amount().units().doubleValue();
        // Transfers of one transaction arrive together: they share its hash object.
        tx[size] = size > 0 && tx[size - 1].equals(t.txHash()) ? tx[size - 1] : t.txHash();
        fromParty[size] = party(f, a);
        toParty[size] = party(r, a);
        internalSender[f] |= t.kind() == TransferKind.INTERNAL;
        nativeSender[f] |= t.kind() == TransferKind.NATIVE;
        if (size > 0 && tx[size] != tx[size - 1]) {
            relays(txStart, size);
            txStart = size;
        }
        addressTransfers[f]++;
        addressTransfers[r]++;
        size++;
    }

    private int address(Address x) {
        Integer id = addressIds.get(x);
        if (id == null) {
            id = addresses.size();
            addressIds.put(x, id);
            addresses.add(x);
            if (id == addressTransfers.length) {
                addressTransfers = Arrays.copyOf(addressTransfers, id * 2);
                internalSender = Arrays.copyOf(internalSender, id * 2);
                nativeSender = Arrays.copyOf(nativeSender, id * 2);
                relay = Arrays.copyOf(relay, id * 2);
                firstAsset = Arrays.copyOf(firstAsset, id * 2);
                firstParty = Arrays.copyOf(firstParty, id * 2);
            }
        }
        return id;
    }

    private int party(int address, int asset) {
        if (firstParty[address] == 0) {
            firstAsset[address] = asset;
            firstParty[address] = ++parties; // stored + 1: 0 is "none yet"
            return parties - 1;
        }
        if (firstAsset[address] == asset) {
            return firstParty[address] - 1;
        }
        return partyIds.computeIfAbsent(((long) address << 20) | asset, k -> parties++);
    }

    /** Marks the addresses that, inside one transaction, received from one party and paid another. */
    private void relays(int first, int end) {
        if (end - first < 2) {
            return;
        }
        // Per recipient, its payer in this transaction (-1 once it has several); then whether it paid anyone else.
        Map<Integer, Integer> payer = new HashMap<>();
        for (int i = first; i < end; i++) {
            payer.merge(to[i], from[i], (a, b) -> a.equals(b) ? a : -1);
        }
        for (int j = first; j < end; j++) {
            Integer p = payer.get(from[j]);
            if (p != null && p != to[j]) {
                relay[from[j]] = true;
            }
        }
    }

    /** Indexes the payments per party; called once, after the last transfer. */
    void index() {
        if (outStart != null) {
            return;
        }
        relays(txStart, size);
        partyAddress = new int[parties];
        for (int x = 0; x < addresses.size(); x++) {
            if (firstParty[x] > 0) {
                partyAddress[firstParty[x] - 1] = x;
            }
        }
        partyIds.forEach((k, id) -> partyAddress[id] = (int) (k >>> 20));
        outStart = new int[parties + 1];
        inStart = new int[parties + 1];
        for (int i = 0; i < size; i++) {
            outStart[fromParty[i] + 1]++;
            inStart[toParty[i] + 1]++;
        }
        for (int p = 0; p < parties; p++) {
            outStart[p + 1] += outStart[p];
            inStart[p + 1] += inStart[p];
        }
        outList = new int[size];
        inList = new int[size];
        outTime = new long[size];
        int[] o = Arrays.copyOf(outStart, parties);
        int[] n = Arrays.copyOf(inStart, parties);
        for (int i = 0; i < size; i++) {
            outTime[o[fromParty[i]]] = time[i];
            outList[o[fromParty[i]]++] = i;
            inList[n[toParty[i]]++] = i;
        }
    }

    public int size() {
        return size;
    }

    public int parties() {
        return parties;
    }

    public int from(int transfer) {
        return from[transfer];
    }

    public int to(int transfer) {
        return to[transfer];
    }

    public int payerParty(int transfer) {
        return fromParty[transfer];
    }

    public int payeeParty(int transfer) {
        return toParty[transfer];
    }

    public long time(int transfer) {
        return time[transfer];
    }

    /** The amount as a double: for ratios between amounts of one asset. */
    public double value(int transfer) {
        return value[transfer];
    }

    public BigInteger units(int transfer) {
        return units[transfer];
    }

    public Hash256 tx(int transfer) {
        return tx[transfer];
    }

    /** How many distinct addresses the transfers name (ids are 0 .. addresses() - 1). */
    public int addresses() {
        return addresses.size();
    }

    public Address address(int id) {
        return addresses.get(id);
    }

    /** The id of an address the transfers name, or -1. */
    public int idOf(Address address) {
        Integer id = addressIds.get(address);
        return id == null ? -1 : id;
    }

    public Asset asset(int transfer) {
        return assets.get(asset[transfer]);
    }

    public int partyAddress(int party) {
        return partyAddress[party];
    }

    /** How many payments a party made: its out-list is {@code outAt(party, 0 .. outCount - 1)}, in chain order. */
    public int outCount(int party) {
        return outStart[party + 1] - outStart[party];
    }

    public int outAt(int party, int k) {
        return outList[outStart[party] + k];
    }

    public int inCount(int party) {
        return inStart[party + 1] - inStart[party];
    }

    public int inAt(int party, int k) {
        return inList[inStart[party] + k];
    }

    /** Transfers of an address in or out, every asset: a pool, router or exchange wallet has many. */
    public int transfersOfAddress(int address) {
        return addressTransfers[address];
    }

    /**
     * Whether the address acts as a contract, whose payments answer its callers: it made an internal transfer (only code
     * does), or it passed value on inside someone's transaction (received from one party, paid another) and never sent
     * a transaction's value itself (only an externally owned account does). Routers, WETH and aggregators are; a
     * trader's own swap is not.
     */
    public boolean contract(int address) {
        return internalSender[address] || relay[address] && !nativeSender[address];
    }

    /** The first payment of a party at or after {@code t} (binary search), or {@code outCount} when none. */
    public int firstOutFrom(int party, long t) {
        int base = outStart[party];
        int lo = base;
        int hi = outStart[party + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (outTime[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - base;
    }
}
