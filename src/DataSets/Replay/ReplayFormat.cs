namespace Fraud.Streaming.DataSets.Replay;

public enum ReplayFormat
{
    IeeeCis,
    PaySim,
    Jsonl,
    Csv,
}
