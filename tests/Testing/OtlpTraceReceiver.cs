using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;

namespace Fraud.Streaming.Testing;

/// <summary>One span as a service exported it over OTLP.</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<(string TraceId, string SpanId)> Links, int StatusCode);

/// <summary>
/// The collector end of OTLP over HTTP (<c>POST /v1/traces</c>, protobuf), for tests that follow one trace across the
/// deployables' processes: point <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at <see cref="Endpoint"/> (protocol
/// <c>http/protobuf</c>) and read <see cref="Spans"/>. It decodes only the fields the tests read, by their numbers in
/// opentelemetry-proto's trace.proto (the generated classes are not published as a package).
/// </summary>
public sealed class OtlpTraceReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    public OtlpTraceReceiver()
    {
        var port = Ports.Free();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public IReadOnlyCollection<ReceivedSpan> Spans => _spans;

    /// <summary>The variables that send a deployable's spans here, promptly.</summary>
    public IReadOnlyDictionary<string, string?> Environment() => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in ExportRequest(new CodedInputStream(body.ToArray())))
                {
                    _spans.Enqueue(span);
                }
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest: 1 resource_spans
    private static List<ReceivedSpan> ExportRequest(CodedInputStream input)
    {
        var spans = new List<ReceivedSpan>();
        Fields(input, (field, reader) =>
        {
            if (field == 1)
            {
                ResourceSpans(reader.ReadBytes(), spans);
                return true;
            }
            return false;
        });
        return spans;
    }

    // ResourceSpans: 1 resource, 2 scope_spans; ScopeSpans: 2 spans
    private static void ResourceSpans(ByteString bytes, List<ReceivedSpan> spans)
    {
        var service = string.Empty;
        var scopes = new List<ByteString>();
        Fields(bytes.CreateCodedInput(), (field, reader) =>
        {
            switch (field)
            {
                case 1:
                    var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                    Fields(reader.ReadBytes().CreateCodedInput(), (f, r) => f == 1 && KeyValue(r.ReadBytes(), attributes));
                    service = attributes.GetValueOrDefault("service.name", string.Empty);
                    return true;
                case 2:
                    scopes.Add(reader.ReadBytes());
                    return true;
                default:
                    return false;
            }
        });
        foreach (var scope in scopes)
        {
            Fields(scope.CreateCodedInput(), (field, reader) =>
            {
                if (field == 2)
                {
                    spans.Add(Span(reader.ReadBytes(), service));
                    return true;
                }
                return false;
            });
        }
    }

    // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 attributes, 13 links, 15 status (3 code)
    private static ReceivedSpan Span(ByteString bytes, string service)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
        var kind = 0;
        var status = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<(string, string)>();
        Fields(bytes.CreateCodedInput(), (field, reader) =>
        {
            switch (field)
            {
                case 1: traceId = Hex(reader.ReadBytes()); return true;
                case 2: spanId = Hex(reader.ReadBytes()); return true;
                case 4: parent = Hex(reader.ReadBytes()); return true;
                case 5: name = reader.ReadString(); return true;
                case 6: kind = reader.ReadEnum(); return true;
                case 9: return KeyValue(reader.ReadBytes(), attributes);
                case 13:
                    string linkTrace = string.Empty, linkSpan = string.Empty;
                    Fields(reader.ReadBytes().CreateCodedInput(), (f, r) =>
                    {
                        switch (f)
                        {
                            case 1: linkTrace = Hex(r.ReadBytes()); return true;
                            case 2: linkSpan = Hex(r.ReadBytes()); return true;
                            default: return false;
                        }
                    });
                    links.Add((linkTrace, linkSpan));
                    return true;
                case 15:
                    Fields(reader.ReadBytes().CreateCodedInput(), (f, r) =>
                    {
                        if (f == 3)
                        {
                            status = r.ReadEnum();
                            return true;
                        }
                        return false;
                    });
                    return true;
                default:
                    return false;
            }
        });
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind, attributes, links, status);
    }

    // KeyValue: 1 key, 2 value (AnyValue: 1 string, 3 int, 4 double, 2 bool)
    private static bool KeyValue(ByteString bytes, Dictionary<string, string> into)
    {
        var key = string.Empty;
        var value = string.Empty;
        Fields(bytes.CreateCodedInput(), (field, reader) =>
        {
            switch (field)
            {
                case 1:
                    key = reader.ReadString();
                    return true;
                case 2:
                    Fields(reader.ReadBytes().CreateCodedInput(), (f, r) =>
                    {
                        switch (f)
                        {
                            case 1: value = r.ReadString(); return true;
                            case 2: value = r.ReadBool() ? "true" : "false"; return true;
                            case 3: value = r.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture); return true;
                            case 4: value = r.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture); return true;
                            default: return false;
                        }
                    });
                    return true;
                default:
                    return false;
            }
        });
        into[key] = value;
        return true;
    }

    /// <summary>Walks a message's fields; <paramref name="read"/> consumes the ones it knows, the rest are skipped.</summary>
    private static void Fields(CodedInputStream input, Func<int, CodedInputStream, bool> read)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(WireFormat.GetTagFieldNumber(tag), input))
            {
                input.SkipLastField();
            }
        }
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener closed under a pending request.
        }
    }
}
