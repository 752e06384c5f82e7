namespace Fraud.Streaming.Producer.Replay;

internal enum ReplayFormat
{
    IeeeCis,
    PaySim,
    Jsonl,
    Csv,
}
