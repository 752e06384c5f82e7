using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The raw encoding slots of a table's rows (<see cref="EncodingLayout"/>, row-major) and the texts of their keys: what
/// a vocabulary is learned from (<see cref="VocabularyFitter"/>) and what any encoding is then applied to.
/// </summary>
internal sealed record EncodingRows(EncodingLayout Layout, ulong[] Slots, ValueNames Names)
{
    public ReadOnlySpan<ulong> Row(int index) => Slots.AsSpan(index * Layout.SlotCount, Layout.SlotCount);

    /// <summary>
    /// For each slot of <paramref name="layout"/>, the slot of these rows that holds it: the fields are the fields, an
    /// attribute is found by name. So an encoding may read fewer attributes than the rows keep (a comparison without them).
    /// </summary>
    /// <exception cref="InvalidOperationException">an attribute of <paramref name="layout"/> is not kept here, or kept as another kind.</exception>
    public int[] SlotsOf(EncodingLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var map = new int[layout.SlotCount];
        for (var slot = 0; slot < layout.SlotCount; slot++)
        {
            if (slot < EncodingLayout.FieldCount)
            {
                map[slot] = slot;
                continue;
            }
            var wanted = layout.Attributes[slot - EncodingLayout.FieldCount];
            var index = Layout.Attributes.ToList().FindIndex(a => a.Name == wanted.Name && a.Kind == wanted.Kind);
            map[slot] = index >= 0 ? EncodingLayout.FieldCount + index
                : throw new InvalidOperationException($"the encoding reads attribute '{wanted.Name}' ({wanted.Kind}), which the history was not read with");
        }
        return map;
    }

    /// <summary>Rows [start, start + count).</summary>
    public EncodingRows Slice(int start, int count) =>
        this with { Slots = Slots.AsSpan(start * Layout.SlotCount, count * Layout.SlotCount).ToArray() };

    /// <summary>The rows <paramref name="rows"/>, in that order.</summary>
    public EncodingRows Pick(IReadOnlyList<int> rows)
    {
        var width = Layout.SlotCount;
        var slots = new ulong[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            Slots.AsSpan(rows[i] * width, width).CopyTo(slots.AsSpan(i * width));
        }
        return this with { Slots = slots };
    }
}
