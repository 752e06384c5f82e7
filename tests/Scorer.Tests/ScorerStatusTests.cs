using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class ScorerStatusTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Not_ready_while_card_state_is_restoring()
    {
        TestModels.WritePackage(_dir.Path, "status-1", seed: 1);
        using var model = LoadedModel.FromDirectory(_dir.Path, BatchScorer.Spec);
        var holder = new ModelHolder();
        holder.Publish(model);
        var status = new ScorerStatus(holder);

        status.Restoring(true);
        status.Assigned();
        Assert.False(status.IsReady);
        Assert.True(status.IsRestoring);

        status.Restoring(false);
        Assert.True(status.IsReady);
    }

    public void Dispose() => _dir.Dispose();
}
