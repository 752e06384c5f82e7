using System.Buffers;
using System.Text.Json;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// Writes feature vectors as JSON lines, <c>{"transaction_id":"...","features":[...]}</c>: the format both
/// <c>scorer score-file --emit-features</c> and <c>trainer features</c> produce, so their files compare line by
/// line. Floats are written in their shortest round-trip form, so parsing a value back gives the same bits.
/// JSON has no infinities or NaN, which a valid but enormous amount produces (it overflows float32): those are
/// written as the strings <c>"Infinity"</c>, <c>"-Infinity"</c> and <c>"NaN"</c>, as System.Text.Json's named
/// floating-point literals are. Does not own the stream.
/// </summary>
public sealed class FeatureVectorWriter(Stream stream) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private readonly Utf8JsonWriter _writer = new(Stream.Null);

    /// <summary>Appends one line.</summary>
    public void Write(string transactionId, ReadOnlySpan<float> features)
    {
        Start();
        _writer.WriteString("transaction_id"u8, transactionId);
        Finish(features);
    }

    /// <summary>Appends one line for a transaction id given as UTF-8 bytes: the same line as <see cref="Write(string, ReadOnlySpan{float})"/>.</summary>
    public void Write(ReadOnlySpan<byte> utf8TransactionId, ReadOnlySpan<float> features)
    {
        Start();
        _writer.WriteString("transaction_id"u8, utf8TransactionId);
        Finish(features);
    }

    private void Start()
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
    }

    private void Finish(ReadOnlySpan<float> features)
    {
        _writer.WriteStartArray("features"u8);
        foreach (var value in features)
        {
            if (float.IsFinite(value))
            {
                _writer.WriteNumberValue(value);
            }
            else
            {
                _writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        stream.Write(_json.WrittenSpan);
        stream.Write("\n"u8);
    }

    /// <summary>Parses one line written by <see cref="Write(string, ReadOnlySpan{float})"/>.</summary>
    /// <exception cref="JsonException">the line is not a feature vector.</exception>
    public static (string TransactionId, float[] Features) Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var id = root.GetProperty("transaction_id").GetString() ?? throw new JsonException("transaction_id is null");
        var array = root.GetProperty("features");
        var features = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            features[i++] = element.ValueKind == JsonValueKind.String
                ? element.GetString() switch
                {
                    "NaN" => float.NaN,
                    "Infinity" => float.PositiveInfinity,
                    "-Infinity" => float.NegativeInfinity,
                    var other => throw new JsonException($"feature {i - 1} is the string \"{other}\", not a number"),
                }
                : element.GetSingle();
        }
        return (id, features);
    }

    public void Dispose() => _writer.Dispose();
}
