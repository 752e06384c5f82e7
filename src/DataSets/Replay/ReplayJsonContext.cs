using System.Text.Json.Serialization;

namespace Fraud.Streaming.DataSets.Replay;

[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
public sealed partial class ReplayJsonContext : JsonSerializerContext;
