using System.Buffers;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Output;

/// <summary>
/// Writes one JSON document per line. Records are serialized into a reused buffer and copied to the file in
/// large chunks, so the cost per record is the serializer and nothing else.
/// </summary>
internal sealed class JsonlFileWriter : IDisposable
{
    private const int ChunkBytes = 1 << 20;

    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkBytes + (64 * 1024));
    private readonly Utf8JsonWriter _json;

    public JsonlFileWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    public long Lines { get; private set; }

    public void Write(Transaction transaction)
    {
        ContractJson.Serialize(_json, transaction);
        EndLine();
    }

    public void Write(Label label)
    {
        ContractJson.Serialize(_json, label);
        EndLine();
    }

    /// <summary>Writes bytes as they are; the caller guarantees they hold no line break.</summary>
    public void WriteRaw(ReadOnlySpan<byte> line)
    {
        _json.Flush();
        _buffer.Write(line);
        _buffer.Write("\n"u8);
        _json.Reset();
        Lines++;
        DrainIfFull();
    }

    public void Dispose()
    {
        _json.Flush();
        _file.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _json.Dispose();
        _file.Dispose();
    }

    private void EndLine()
    {
        _json.Flush();
        _buffer.Write("\n"u8);
        _json.Reset();
        Lines++;
        DrainIfFull();
    }

    private void DrainIfFull()
    {
        if (_buffer.WrittenCount >= ChunkBytes)
        {
            _file.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }
}
