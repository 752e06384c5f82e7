using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Fraud.Streaming.Producer.Publishing;

namespace Fraud.Streaming.Producer.Tests;

public sealed partial class TraceHeadersTests
{
    [GeneratedRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$")]
    private static partial Regex TraceParent();

    [Fact]
    public void Each_message_gets_a_valid_w3c_traceparent_with_its_own_trace()
    {
        var first = Encoding.ASCII.GetString(TraceHeaders.New().GetLastBytes(TraceHeaders.TraceParent));
        var second = Encoding.ASCII.GetString(TraceHeaders.New().GetLastBytes(TraceHeaders.TraceParent));
        Assert.Matches(TraceParent(), first);
        Assert.Matches(TraceParent(), second);
        Assert.NotEqual(first[3..35], second[3..35]);
        Assert.DoesNotContain("-00000000000000000000000000000000-", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_an_activity_the_message_joins_its_trace()
    {
        using var activity = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        var header = Encoding.ASCII.GetString(TraceHeaders.New().GetLastBytes(TraceHeaders.TraceParent));
        Assert.Equal($"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}", header[..^3]);
    }
}
