using Fraud.Streaming.DataSets.Synthetic.Scenarios;

namespace Fraud.Streaming.DataSets.Synthetic.Behaviours;

/// <summary>
/// A genuine behaviour that looks like fraud to a model that learned "unusual means fraud": it schedules genuine
/// purchases of one card, departing from the card's habits the way real cardholders do.
/// </summary>
public interface IGenuineBehaviour
{
    /// <summary>The behaviour's name (docs/SYNTHETIC.md).</summary>
    string Name { get; }

    /// <summary>Genuine transactions one occurrence schedules, on average.</summary>
    double ExpectedTransactions { get; }

    void Schedule(ScenarioContext context, long startMs, int cardIndex);
}

/// <summary>The genuine look-alikes, in the order <see cref="WorldRealism.BehaviourMix"/> weighs them.</summary>
public static class GenuineBehaviours
{
    public static readonly IGenuineBehaviour[] All = [new TravelAbroad(), new NewPhone(), new OnlineSpree(), new LargePurchase()];
}
