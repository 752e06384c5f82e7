using Fraud.Streaming.Producer.Malformed;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Tests;

public sealed class MalformedMessageFactoryTests
{
    public static TheoryData<string> Kinds() => new(MalformedMessageFactory.AllKinds.Select(k => k.ToString()));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_is_rejected_with_its_intended_reason(string kindName)
    {
        var kind = Enum.Parse<MalformedKind>(kindName);
        var template = new SyntheticGenerator(new SyntheticSettings()).Next().Transaction;
        var message = MalformedMessageFactory.Create((long)kind, seed: 42, template);

        Assert.Equal(kind, message.Kind);
        Assert.False(TransactionValidator.TryParse(message.Value, out _, out var reason));
        Assert.Equal(MalformedMessageFactory.ExpectedCode(kind), reason.Code);
        Assert.DoesNotContain((byte)'\n', message.Value);
    }

    [Fact]
    public void Kinds_rotate_and_ids_are_distinct()
    {
        var template = new SyntheticGenerator(new SyntheticSettings()).Next().Transaction;
        var all = Enumerable.Range(0, MalformedMessageFactory.AllKinds.Length * 3)
            .Select(i => MalformedMessageFactory.Create(i, 42, template))
            .ToList();

        Assert.Equal(all.Count, all.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(MalformedMessageFactory.AllKinds.Length, all.Take(MalformedMessageFactory.AllKinds.Length).Select(m => m.Kind).Distinct().Count());
        Assert.All(all, m => Assert.Equal(template.CardId, m.Key));
    }
}
