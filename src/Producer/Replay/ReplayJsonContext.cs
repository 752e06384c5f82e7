using System.Text.Json.Serialization;

namespace Fraud.Streaming.Producer.Replay;

[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext;
