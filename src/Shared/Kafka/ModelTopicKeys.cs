namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// The keys of the compacted models topic, as the trainer announces and scorers read them: the model name for its
/// champion, and the model name and <c>/challenger</c> (which no model name can be: names contain no '/') for its
/// challenger; a tombstone (no value) under the challenger key ends the challenge.
/// </summary>
public static class ModelTopicKeys
{
    public static string Champion(string modelName) => modelName;

    public static string Challenger(string modelName) => $"{modelName}/challenger";
}
