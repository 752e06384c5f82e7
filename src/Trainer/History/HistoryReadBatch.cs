using System.Text;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// A run of history rows in (event time, transaction id) order, as a source hands them out: each row's
/// <see cref="FeatureInput"/>, exact event time, transaction id (UTF-8 bytes), <see cref="LabelFacts"/> and the raw
/// values an encoding reads (<see cref="EncodingLayout"/>: categorical keys, attribute values), whose texts the source
/// notes in <see cref="Names"/>. A source refills the same batch, so a row is valid until the next one is read; nothing is
/// allocated per row.
/// </summary>
/// <param name="layout">what the encoding slots hold; the contract's categorical fields only when null.</param>
/// <param name="names">where the texts of the slots' keys are noted; shared by the batches of one source.</param>
internal sealed class HistoryReadBatch(int capacity = HistoryReadBatch.DefaultCapacity, EncodingLayout? layout = null, ValueNames? names = null)
{
    public const int DefaultCapacity = 4096;

    private readonly ulong[] _slots = new ulong[capacity * (layout ?? EncodingLayout.FieldsOnly).SlotCount];
    private readonly FeatureInput[] _inputs = new FeatureInput[capacity];
    private readonly long[] _ticks = new long[capacity];
    private readonly LabelFacts[] _labels = new LabelFacts[capacity];
    private readonly int[] _idEnds = new int[capacity];
    private byte[] _ids = new byte[capacity * 32];

    public int Count { get; private set; }

    /// <summary>What each row's encoding slots hold.</summary>
    public EncodingLayout Layout { get; } = layout ?? EncodingLayout.FieldsOnly;

    /// <summary>The texts of the categorical keys in the slots.</summary>
    public ValueNames Names { get; } = names ?? new ValueNames();

    public bool IsFull => Count == _inputs.Length;

    /// <summary>Row <paramref name="row"/>'s input to the feature pipeline.</summary>
    public ref readonly FeatureInput Input(int row) => ref _inputs[row];

    /// <summary>Row <paramref name="row"/>'s event time, in UTC ticks (Postgres keeps microseconds).</summary>
    public long EventTicks(int row) => _ticks[row];

    /// <summary>Row <paramref name="row"/>'s latest label; null when none has arrived.</summary>
    public bool? Label(int row) => _labels[row].HasLabel ? _labels[row].LatestIsFraud : null;

    /// <summary>What the labels say about row <paramref name="row"/>.</summary>
    public ref readonly LabelFacts Facts(int row) => ref _labels[row];

    /// <summary>Row <paramref name="row"/>'s encoding slots (<see cref="Layout"/>).</summary>
    public ReadOnlySpan<ulong> Slots(int row) => _slots.AsSpan(row * Layout.SlotCount, Layout.SlotCount);

    /// <summary>The slots of the row <see cref="Add(in FeatureInput, long, ReadOnlySpan{byte}, in LabelFacts)"/> appends next, for a reader to fill first.</summary>
    public Span<ulong> NextSlots() => _slots.AsSpan(Count * Layout.SlotCount, Layout.SlotCount);

    /// <summary>Row <paramref name="row"/>'s transaction id as UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Id(int row)
    {
        var start = row == 0 ? 0 : _idEnds[row - 1];
        return _ids.AsSpan(start, _idEnds[row] - start);
    }

    /// <summary>Row <paramref name="row"/>'s transaction id as a string (allocates).</summary>
    public string IdString(int row) => Utf8Text.Decode(Id(row));

    public void Clear() => Count = 0;

    /// <summary>Appends a row whose slots were written to <see cref="NextSlots"/>; the caller checks <see cref="IsFull"/> first.</summary>
    public void Add(in FeatureInput input, long eventTicks, ReadOnlySpan<byte> id, in LabelFacts label)
    {
        var row = Count;
        var start = row == 0 ? 0 : _idEnds[row - 1];
        if (start + id.Length > _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(_ids.Length * 2, start + id.Length));
        }
        id.CopyTo(_ids.AsSpan(start));
        _idEnds[row] = start + id.Length;
        _inputs[row] = input;
        _ticks[row] = eventTicks;
        _labels[row] = label;
        Count = row + 1;
    }

    /// <summary>Appends a transaction read from a file or built in a test.</summary>
    public void Add(HistoryRow row) => Add(row.Transaction, row.Facts);

    /// <summary>Appends a transaction read from a file or built in a test, noting the texts of keys not met before.</summary>
    public void Add(Transaction t, in LabelFacts label)
    {
        ArgumentNullException.ThrowIfNull(t);
        var slots = NextSlots();
        Layout.Read(t, slots);
        for (var slot = 0; slot < slots.Length; slot++)
        {
            if (Layout.IsCategorical(slot) && slots[slot] != ValueKey.Missing && !Names.Knows(slot, slots[slot]) && Layout.TextOf(t, slot) is { } text)
            {
                Names.Note(slot, slots[slot], text);
            }
        }
        Add(FeatureInput.Of(t), t.EventTime.UtcTicks, Encoding.UTF8.GetBytes(t.TransactionId), label);
    }
}
