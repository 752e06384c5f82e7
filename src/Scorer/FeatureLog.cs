using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The feature vectors a running scorer computed, appended as JSONL (<see cref="FeatureVectorWriter"/>) and flushed
/// to the file before the batch's offsets are committed: whatever was committed is in the file, even after SIGKILL.
/// </summary>
internal sealed class FeatureLog : IDisposable
{
    private readonly FileStream _file;
    private readonly FeatureVectorWriter _writer;

    public FeatureLog(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = new FeatureVectorWriter(_file);
    }

    /// <summary>Appends the batch's vectors and hands them to the operating system.</summary>
    public void Write(BatchScorer batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            ref readonly var transaction = ref batch.TransactionAt(i);
            if (transaction.TransactionId.IsAscii)
            {
                _writer.Write(transaction.TransactionId.Ascii, batch.FeaturesAt(i));
            }
            else
            {
                _writer.Write(transaction.TransactionId.Text!, batch.FeaturesAt(i));
            }
        }
        _file.Flush();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
