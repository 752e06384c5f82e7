namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// One entity's days with activity, in ascending day order: sparse, because most entities are active on few days.
/// Transactions land on today's day and reports on their report day, so almost every write touches the last entry
/// or appends; a lookup walks back from the newest day over at most the longest window.
/// </summary>
internal sealed class EntitySeries
{
    private int[] _days = new int[4];
    private EntityTotals[] _totals = new EntityTotals[4];

    public int Count { get; private set; }

    /// <summary>The oldest day held; <see cref="int.MaxValue"/> when empty.</summary>
    public int FirstDay => Count == 0 ? int.MaxValue : _days[0];

    public void Add(int day, EntityTotals delta)
    {
        var i = Count - 1;
        while (i >= 0 && _days[i] > day)
        {
            i--;
        }
        if (i >= 0 && _days[i] == day)
        {
            _totals[i] += delta;
            return;
        }
        Insert(i + 1, day, delta);
    }

    /// <summary>The totals of the days in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public EntityTotals Sum(int from, int to)
    {
        var sum = default(EntityTotals);
        for (var i = Count - 1; i >= 0 && _days[i] >= from; i--)
        {
            if (_days[i] <= to)
            {
                sum += _totals[i];
            }
        }
        return sum;
    }

    /// <summary>Forgets the days before <paramref name="day"/>.</summary>
    public void DropBefore(int day)
    {
        var keep = 0;
        while (keep < Count && _days[keep] < day)
        {
            keep++;
        }
        if (keep == 0)
        {
            return;
        }
        Array.Copy(_days, keep, _days, 0, Count - keep);
        Array.Copy(_totals, keep, _totals, 0, Count - keep);
        Count -= keep;
    }

    private void Insert(int at, int day, EntityTotals delta)
    {
        if (Count == _days.Length)
        {
            Array.Resize(ref _days, Count * 2);
            Array.Resize(ref _totals, Count * 2);
        }
        Array.Copy(_days, at, _days, at + 1, Count - at);
        Array.Copy(_totals, at, _totals, at + 1, Count - at);
        _days[at] = day;
        _totals[at] = delta;
        Count++;
    }
}
