namespace Fraud.Streaming.Producer.Malformed;

internal sealed record MalformedMessage(string Id, MalformedKind Kind, string Key, byte[] Value)
{
    public string KindName => MalformedMessageFactory.NameOf(Kind);
}
