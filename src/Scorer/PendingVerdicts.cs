using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// A scored micro-batch's verdicts between scoring and producing: the verdicts as <see cref="BatchScorer.Score"/> made
/// them (with <see cref="BatchScorer.DefersReasons"/>), and a copy of the feature vectors of the rows that ask for
/// reasons, so they can be explained (<see cref="Explain"/>) on another thread while the batch scorer, its buffers and
/// the card state move on to the next batch. Holds the model that scored them, so the reasons are that model's.
/// </summary>
internal sealed class PendingVerdicts(int capacity)
{
    private readonly Verdict[] _verdicts = new Verdict[capacity];
    private readonly int[] _rows = new int[capacity];
    private readonly IReadOnlyList<Reason>[] _reasons = new IReadOnlyList<Reason>[capacity];
    private float[] _features = [];
    private int _width;
    private int _asked;
    private LoadedModel? _model;

    public int Count { get; private set; }

    public Verdict this[int row] => _verdicts[row];

    /// <summary>The batch just scored by <paramref name="model"/>: its verdicts and the vectors of the rows asking for reasons.</summary>
    public void Capture(ReadOnlySpan<Verdict> verdicts, BatchScorer batch, LoadedModel model)
    {
        verdicts.CopyTo(_verdicts);
        Count = verdicts.Length;
        _model = model;
        var asked = batch.RowsAskingReasons;
        _asked = asked.Length;
        _width = batch.FeatureCount;
        if (_features.Length < _asked * _width)
        {
            _features = new float[capacity * _width];
        }
        for (var k = 0; k < _asked; k++)
        {
            _rows[k] = asked[k];
            batch.FeaturesAt(asked[k]).CopyTo(_features.AsSpan(k * _width, _width));
        }
    }

    /// <summary>The reasons of the rows that ask for them, explained together, into their verdicts.</summary>
    public void Explain(ReasonBuilder reasons)
    {
        if (_asked == 0)
        {
            return;
        }
        reasons.Explain(_model!, _features.AsSpan(0, _asked * _width), _reasons.AsSpan(0, _asked));
        for (var k = 0; k < _asked; k++)
        {
            _verdicts[_rows[k]] = _verdicts[_rows[k]] with { Reasons = _reasons[k] };
        }
    }

    public void Clear()
    {
        Array.Clear(_verdicts, 0, Count);
        Array.Clear(_reasons, 0, _asked);
        _model = null;
        _asked = 0;
        Count = 0;
    }
}
