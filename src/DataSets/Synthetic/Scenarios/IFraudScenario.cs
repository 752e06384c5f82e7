namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>One fraud pattern: what it schedules when it starts, and how many transactions that adds on average.</summary>
public interface IFraudScenario
{
    /// <summary>The name labels carry (<see cref="FraudScenarios"/>).</summary>
    string Name { get; }

    /// <summary>Fraud transactions one occurrence schedules, on average.</summary>
    double ExpectedFraud(ScenarioContext context);

    /// <summary>Legitimate transactions one occurrence schedules besides the usual traffic, on average.</summary>
    double ExpectedLegit(ScenarioContext context);

    /// <summary>
    /// Schedules one occurrence starting at <paramref name="startMs"/>, for the card drawn for it and the device and IP a
    /// fraudster would use (drawn for every occurrence, so each scenario's random draws stay the same whatever the mix).
    /// </summary>
    void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip);
}
