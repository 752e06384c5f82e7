using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// Per-card state keyed by a 64-bit stable hash of the card id (<see cref="KeyOf(string)"/>). Not thread-safe: one store
/// per partition or per worker.
/// </summary>
/// <remarks>
/// <para>Layout: the entries (key and <see cref="CardState"/>, inline) live densely, in insertion order, in fixed
/// pages of <see cref="PageSize"/> entries; an open-addressing index (power-of-two slots of key and entry number,
/// linear probing, at most 3/4 full) finds them. Removal shifts the following slots of the probe run back (no
/// tombstones, so lookups never slow down with churn) and moves the last entry into the hole. Keeping the big
/// entries dense rather than in the probed array bounds the memory per card: the slack of a power-of-two table
/// costs 16-byte slots, not 160-byte entries, so a card costs about 200 bytes whatever the fill
/// (<see cref="MemoryBytes"/>). Growth allocates a page and, now and then, a twice larger index; entries never move
/// on insert.</para>
/// <para>Cards are identified by their key alone: two card ids with the same 64-bit key would share state. With
/// n cards the chance that any two collide is about n²/2⁶⁵ (1e-6 for ten million cards), see
/// <see cref="StableHash.Of64"/>.</para>
/// </remarks>
public sealed class CardStateStore
{
    /// <summary>Entries per page; a page is one allocation of <c>PageSize</c> × 160 bytes.</summary>
    public const int PageSize = 1 << PageShift;

    private const int PageShift = 12;
    private const int PageMask = PageSize - 1;
    private const int MinSlots = 16;
    private const ulong Fibonacci = 0x9E3779B97F4A7C15ul;

    private Slot[] _slots;
    private int _shift;
    private Entry[]?[] _pages = [];
    private int _pageCount;
    private int _count;
    private int _version;

    /// <summary>A store whose <see cref="ExpireIdle"/> drops cards idle for longer than <paramref name="idleTtlMs"/>.</summary>
    /// <param name="idleTtlMs">event-time milliseconds; the feature spec's <see cref="FeatureSpec.CardIdleTtlMs"/>.</param>
    public CardStateStore(long idleTtlMs = FeatureSpec.DefaultCardIdleTtlMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idleTtlMs, 1);
        IdleTtlMs = idleTtlMs;
        _slots = new Slot[MinSlots];
        _shift = 64 - BitLength(MinSlots);
    }

    /// <summary>Cards idle (in event time) for longer than this are dropped by <see cref="ExpireIdle"/>.</summary>
    public long IdleTtlMs { get; }

    /// <summary>Cards held.</summary>
    public int Count => _count;

    /// <summary>Slots of the open-addressing index (a power of two, at least 4/3 of <see cref="Count"/>).</summary>
    public int IndexSlots => _slots.Length;

    /// <summary>Bytes the store holds in its arrays (index, entry pages, page table); what a card costs is this over <see cref="Count"/>.</summary>
    public long MemoryBytes =>
        ((long)_slots.Length * Unsafe.SizeOf<Slot>())
        + ((_pageCount == 0 ? 0L : _pages[0]!.Length + ((long)(_pageCount - 1) * PageSize)) * Unsafe.SizeOf<Entry>())
        + ((long)_pages.Length * IntPtr.Size);

    /// <summary>The key a card id is stored under: <see cref="StableHash.Of64"/>, the same in every process.</summary>
    public static ulong KeyOf(string cardId) => KeyOf(new Contracts.TransactionText(cardId));

    /// <summary>As <see cref="KeyOf(string)"/>, of a card id as transaction fields hold it (the same bits).</summary>
    public static ulong KeyOf(in Contracts.TransactionText cardId) => cardId.Of64;

    /// <summary>
    /// A reference to the card's state, created empty (<c>default</c>) on first use. Valid until the next
    /// <see cref="Remove"/>, <see cref="ExpireIdle"/> or <see cref="Clear"/> (inserts do not move entries).
    /// </summary>
    public ref CardState GetOrAdd(string cardId) => ref GetOrAdd(KeyOf(cardId));

    /// <inheritdoc cref="GetOrAdd(string)"/>
    public ref CardState GetOrAdd(ulong key)
    {
        var i = Probe(key);
        if (i >= 0)
        {
            return ref EntryAt(_slots[i].Entry - 1).State;
        }
        return ref Insert(key, ~i).State;
    }

    /// <summary>
    /// First stage of a pipelined batch lookup: asks the CPU to start loading the index slot where
    /// <paramref name="key"/> begins its probe, so a later <see cref="PrefetchState"/> or
    /// <see cref="GetOrAdd(ulong)"/> finds it in cache. A hint only: changes nothing, does nothing without SSE.
    /// </summary>
    public unsafe void PrefetchSlot(ulong key)
    {
        if (Sse.IsSupported)
        {
            // The pointer is never dereferenced; if the GC moves the array meanwhile, only the hint is wasted.
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[Home(key)]));
        }
    }

    /// <summary>
    /// Second stage: finds the card (its slot should be cached by <see cref="PrefetchSlot"/>) and asks the CPU to
    /// start loading its entry. A hint only: a card not held yet is not added.
    /// </summary>
    public unsafe void PrefetchState(ulong key)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        var i = Probe(key);
        if (i >= 0)
        {
            var entry = (byte*)Unsafe.AsPointer(ref EntryAt(_slots[i].Entry - 1));
            Sse.Prefetch0(entry);
            Sse.Prefetch0(entry + 64);
            Sse.Prefetch0(entry + 128);
            Sse.Prefetch0(entry + (sizeof(Entry) - 1));
        }
    }

    /// <summary>Whether the card is held, and its state if so.</summary>
    public bool TryGet(ulong key, out CardState state)
    {
        var i = Find(key);
        if (i < 0)
        {
            state = default;
            return false;
        }
        state = EntryAt(_slots[i].Entry - 1).State;
        return true;
    }

    /// <summary>Stores <paramref name="state"/> as the card's state, adding the card if it is not held.</summary>
    public void Set(ulong key, in CardState state) => GetOrAdd(key) = state;

    /// <summary>Drops the card; <c>false</c> if it was not held.</summary>
    public bool Remove(ulong key)
    {
        var i = Find(key);
        if (i < 0)
        {
            return false;
        }
        RemoveAt(i);
        return true;
    }

    /// <summary>
    /// Drops every card whose newest transaction is more than <see cref="IdleTtlMs"/> before
    /// <paramref name="nowEventMs"/>. The feature pipeline would start such a card afresh on its next
    /// transaction anyway (if that comes at or after <paramref name="nowEventMs"/>), so dropping it changes no
    /// feature. Cards added but never updated (<see cref="CardState.Count"/> 0) are dropped too: they equal absent
    /// ones. O(cards); run it off the per-event path.
    /// </summary>
    /// <returns>The number of cards dropped.</returns>
    public int ExpireIdle(long nowEventMs)
    {
        // Strictly before the cutoff: the extractor resets when eventMs - LastEventMs > ttl.
        var cutoff = nowEventMs < long.MinValue + IdleTtlMs ? long.MinValue : nowEventMs - IdleTtlMs;
        var removed = 0;
        var e = 0;
        while (e < _count)
        {
            ref var entry = ref EntryAt(e);
            if (entry.State.LastEventMs < cutoff || entry.State.Count == 0)
            {
                // The last entry moves into e; look at e again.
                RemoveAt(Find(entry.Key));
                removed++;
            }
            else
            {
                e++;
            }
        }
        return removed;
    }

    /// <summary>Drops every card and gives the memory back.</summary>
    public void Clear()
    {
        _slots = new Slot[MinSlots];
        _shift = 64 - BitLength(MinSlots);
        _pages = [];
        _pageCount = 0;
        _count = 0;
        _version++;
    }

    /// <summary>Every (key, state) held, in no defined order. The store must not change during the enumeration.</summary>
    public Enumerator GetEnumerator() => new(this);

    private int Home(ulong key) => (int)((key * Fibonacci) >> _shift);

    private int Find(ulong key)
    {
        var i = Probe(key);
        return i >= 0 ? i : -1;
    }

    /// <summary>The slot holding <paramref name="key"/>, or the complement (~) of the empty slot that ends its probe run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Probe(ulong key)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = Home(key);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Entry == 0)
            {
                return ~i;
            }
            if (slot.Key == key)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry EntryAt(int e) => ref _pages[e >> PageShift]![e & PageMask];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref Entry Insert(ulong key, int slot)
    {
        if (_count + 1 > (_slots.Length >> 2) * 3)
        {
            Grow();
            slot = Home(key);
            var mask = _slots.Length - 1;
            while (_slots[slot].Entry != 0)
            {
                slot = (slot + 1) & mask;
            }
        }
        var e = _count;
        var page = e >> PageShift;
        if (page == _pageCount)
        {
            if (page == _pages.Length)
            {
                Array.Resize(ref _pages, Math.Max(4, _pages.Length * 2));
            }
            // The first page starts small and doubles, so a small store does not hold a whole page.
            _pages[page] ??= new Entry[page == 0 ? MinSlots : PageSize];
            _pageCount++;
        }
        else if (page == 0 && e == _pages[0]!.Length)
        {
            Array.Resize(ref _pages[0], e * 2);
        }
        ref var entry = ref EntryAt(e);
        entry.Key = key;
        entry.State = default;
        _slots[slot] = new Slot { Key = key, Entry = e + 1 };
        _count++;
        _version++;
        return ref entry;
    }

    private void Grow()
    {
        var slots = new Slot[_slots.Length * 2];
        _slots = slots;
        _shift--;
        var mask = slots.Length - 1;
        for (var e = 0; e < _count; e++)
        {
            var key = EntryAt(e).Key;
            var i = Home(key);
            while (slots[i].Entry != 0)
            {
                i = (i + 1) & mask;
            }
            slots[i] = new Slot { Key = key, Entry = e + 1 };
        }
    }

    /// <summary>Empties slot <paramref name="i"/> by backward shift, then fills the entry hole with the last entry.</summary>
    private void RemoveAt(int i)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var hole = slots[i].Entry - 1;
        var j = i;
        while (true)
        {
            j = (j + 1) & mask;
            if (slots[j].Entry == 0)
            {
                break;
            }
            // The slot at j may move back to i unless its home lies cyclically in (i, j].
            var home = Home(slots[j].Key);
            if (((j - home) & mask) >= ((j - i) & mask))
            {
                slots[i] = slots[j];
                i = j;
            }
        }
        slots[i] = default;

        var last = _count - 1;
        if (hole != last)
        {
            ref var moved = ref EntryAt(last);
            EntryAt(hole) = moved;
            slots[Find(moved.Key)].Entry = hole + 1;
        }
        EntryAt(last) = default;
        _count--;
        _version++;
        // Give a page back once two are unused, so expiry frees memory without churning on the boundary.
        if (_pageCount >= 2 && _count <= (_pageCount - 2) << PageShift)
        {
            _pageCount--;
            _pages[_pageCount] = null;
        }
    }

    private static int BitLength(int powerOfTwo) => System.Numerics.BitOperations.Log2((uint)powerOfTwo);

    private struct Slot
    {
        public ulong Key;
        /// <summary>Entry number + 1; 0 marks an empty slot.</summary>
        public int Entry;
    }

    private struct Entry
    {
        public ulong Key;
        public CardState State;
    }

    /// <summary>Enumerates (key, state) pairs without allocating.</summary>
    public struct Enumerator
    {
        private readonly CardStateStore _store;
        private readonly int _version;
        private int _next;

        internal Enumerator(CardStateStore store)
        {
            _store = store;
            _version = store._version;
            _next = 0;
            Current = default;
        }

        public (ulong Key, CardState State) Current { get; private set; }

        public bool MoveNext()
        {
            if (_version != _store._version)
            {
                throw new InvalidOperationException("the card state store changed during enumeration");
            }
            if (_next >= _store._count)
            {
                return false;
            }
            ref var entry = ref _store.EntryAt(_next++);
            Current = (entry.Key, entry.State);
            return true;
        }
    }
}
