using System.CommandLine;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// The options that configure the feature spec (and so its hash): <c>--card-idle-days</c>, <c>--entity-lag-hours</c>
/// and <c>--report-horizon-days</c>. They must equal the scorer's <c>Scorer:CardIdleDays</c>,
/// <c>Scorer:EntityLagHours</c> and <c>Scorer:ReportHorizonDays</c> (and the aggregator's horizon); a model built with
/// other values is refused there.
/// </summary>
internal sealed class FeatureSpecOptions
{
    public Option<string> Spec { get; } = SpecOption();

    public Option<int> CardIdleDays { get; } = Ranged("--card-idle-days",
        "a card idle for longer (event time) starts afresh; part of the feature spec, must match the scorer's Scorer:CardIdleDays",
        FeatureSpec.DefaultCardIdleDays, FeatureSpecLimits.MinCardIdleDays, FeatureSpecLimits.MaxCardIdleDays);

    public Option<int> EntityLagHours { get; } = Ranged("--entity-lag-hours",
        "merchant/device features read whole days that ended at least this many hours before the transaction; part of the feature spec", EntityFeatures.DefaultLagHours, FeatureSpecLimits.MinEntityLagHours, FeatureSpecLimits.MaxEntityLagHours);

    public Option<int> ReportHorizonDays { get; } = Ranged("--report-horizon-days",
        "a fraud report about a transaction older than this is not attributed to its merchant/device; part of the feature spec", EntityFeatures.DefaultReportHorizonDays, FeatureSpecLimits.MinReportHorizonDays, FeatureSpecLimits.MaxReportHorizonDays);

    public void AddTo(Command command)
    {
        command.Options.Add(Spec);
        command.Options.Add(CardIdleDays);
        command.Options.Add(EntityLagHours);
        command.Options.Add(ReportHorizonDays);
    }

    public FeatureSpec Read(ParseResult parse) =>
        FeatureSpec.Configure(parse.GetValue(Spec)!, parse.GetValue(CardIdleDays), parse.GetValue(EntityLagHours), parse.GetValue(ReportHorizonDays));

    private static Option<string> SpecOption()
    {
        var option = new Option<string>("--spec")
        {
            Description = "feature spec: card-entity-v1 (card, merchant and device features; needs the aggregator online) or card-v1 (card features only); must match the scorer's Scorer:FeatureSpec",
            DefaultValueFactory = _ => "card-entity-v1",
        };
        option.AcceptOnlyFromAmong([.. FeatureSpec.Served]);
        return option;
    }

    internal static Option<int> Ranged(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (FeatureSpecLimits.OutOfRange(name, r.GetValueOrDefault<int>(), min, max) is { } problem)
            {
                r.AddError(problem);
            }
        });
        return option;
    }
}
