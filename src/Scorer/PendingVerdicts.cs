using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// A scored micro-batch's verdicts between scoring and producing: what <see cref="BatchScorer.Decide"/> decided per row
/// (the transaction's fields, its score, decision, latency and entity day; no verdict record is made), and a copy of the feature
/// vectors of the rows that ask for reasons (<see cref="BatchScorer.DefersReasons"/>), so they can be explained, into
/// reused buffers of <see cref="RankedReason"/>s rather than a list of records per row,
/// (<see cref="Explain"/>) and written (<see cref="Write"/>) on another thread while the batch scorer, its buffers and
/// the card state move on to the next batch. Holds the model that scored them, so the reasons are that model's.
/// </summary>
internal sealed class PendingVerdicts(int capacity)
{
    private readonly TransactionFields[] _transactions = new TransactionFields[capacity];
    private readonly float[] _scores = new float[capacity];
    private readonly Decision[] _decisions = new Decision[capacity];
    private readonly double[] _latencyMs = new double[capacity];
    private readonly DateOnly?[] _daysThrough = new DateOnly?[capacity];
    private readonly int[] _rows = new int[capacity];
    private readonly int[] _askedAt = new int[capacity];
    private readonly int[] _found = new int[capacity];
    private RankedReason[] _ranked = [];
    private float[] _features = [];
    private int _width;
    private int _asked;
    private int _perRow;
    private LoadedModel? _model;

    public int Count { get; private set; }

    /// <summary>When the batch was scored.</summary>
    public DateTimeOffset ScoredAt { get; private set; }

    public ref readonly TransactionFields TransactionAt(int row) => ref _transactions[row];

    public Decision DecisionAt(int row) => _decisions[row];

    /// <summary>Kafka publish time to scored (<see cref="Verdict.LatencyMs"/>).</summary>
    public double LatencyMsAt(int row) => _latencyMs[row];

    /// <summary>
    /// The batch just decided by <paramref name="model"/> with its reasons deferred (<see cref="BatchScorer.DefersReasons"/>):
    /// its rows' outcomes and the vectors of the rows asking for reasons.
    /// </summary>
    public void Capture(BatchScorer batch, LoadedModel model)
    {
        if (!batch.DefersReasons)
        {
            throw new ArgumentException("the batch explains its own reasons; pending verdicts explain them later", nameof(batch));
        }
        Count = batch.Count;
        _model = model;
        ScoredAt = batch.ScoredAt;
        for (var i = 0; i < Count; i++)
        {
            _transactions[i] = batch.TransactionAt(i);
            _scores[i] = batch.ScoreAt(i);
            _decisions[i] = batch.DecisionAt(i);
            _latencyMs[i] = batch.LatencyMsAt(i);
            _daysThrough[i] = batch.EntityDaysThroughAt(i);
            _askedAt[i] = -1;
        }
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
            _askedAt[asked[k]] = k;
            _found[k] = 0;
            batch.FeaturesAt(asked[k]).CopyTo(_features.AsSpan(k * _width, _width));
        }
    }

    /// <summary>The reasons of the rows that ask for them, explained together into reused buffers.</summary>
    public void Explain(ReasonBuilder reasons)
    {
        if (_asked == 0)
        {
            return;
        }
        _perRow = reasons.Count;
        if (_ranked.Length < capacity * _perRow)
        {
            _ranked = new RankedReason[capacity * _perRow];
        }
        reasons.Explain(_model!, _features.AsSpan(0, _asked * _width), _ranked, _found);
    }

    /// <summary>Row <paramref name="row"/>'s verdict as the message's bytes.</summary>
    public byte[] Write(VerdictJson json, int row)
    {
        var k = _askedAt[row];
        var reasons = k < 0 ? [] : _ranked.AsSpan(k * _perRow, _found[k]);
        return json.Write(_transactions[row], _scores[row], _decisions[row], _model!.Version, reasons, _model.Manifest.FeatureSpec.Features,
            ScoredAt, _latencyMs[row], _daysThrough[row]);
    }

    public void Clear()
    {
        Array.Clear(_transactions, 0, Count);
        _model = null;
        _asked = 0;
        Count = 0;
    }
}
