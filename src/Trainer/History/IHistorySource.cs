namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Labelled history in the order the feature pipeline must see it: by (event time, transaction id), every
/// transaction, labelled or not, because unlabelled ones still move per-card state.
/// </summary>
internal interface IHistorySource
{
    /// <summary>Where the rows come from, for log lines.</summary>
    string Description { get; }

    /// <summary>Rows the contract refused while reading (known once <see cref="ReadAsync"/> has been enumerated).</summary>
    HistoryRefusals Refusals { get; }

    /// <summary>The rows in order, a batch at a time; a source may refill the same batch, so each is valid until the next is read.</summary>
    IAsyncEnumerable<HistoryReadBatch> ReadAsync(CancellationToken cancellationToken);
}
