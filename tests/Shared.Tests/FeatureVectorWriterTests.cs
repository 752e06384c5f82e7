using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class FeatureVectorWriterTests
{
    [Fact]
    public void Every_float_comes_back_with_the_same_bits_infinities_and_nan_included()
    {
        float[] values = [0f, -0f, 1f / 3f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-38f,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        using var stream = new MemoryStream();
        using (var writer = new FeatureVectorWriter(stream))
        {
            writer.Write("tx-1", values);
        }
        var line = stream.ToArray().AsSpan()[..^1];

        var (id, parsed) = FeatureVectorWriter.Parse(line);

        Assert.Equal("tx-1", id);
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), parsed.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_string_that_is_not_a_named_float_is_refused()
    {
        var ex = Assert.Throws<System.Text.Json.JsonException>(() =>
            FeatureVectorWriter.Parse("""{"transaction_id":"t","features":[1,"big"]}"""u8));
        Assert.Contains("feature 1", ex.Message, StringComparison.Ordinal);
    }
}
